// The context budget holds on a noisy workload: many failing pods, long logs, hundreds of events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_BUDGET_CHARS, gatherContext } from '../../../backend/src/diagnose/gather-context.js';
import { buildFirstMessage } from '../../../backend/src/diagnose/build-first-message.js';
import { seedEvents, seedWorkload } from '../../helpers/seed-workload.js';
import { incident, startHarness, type Harness } from './diagnose-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const log = Array.from({ length: 400 }, (_, i) => `ERROR ${i} ${'y'.repeat(100)}`).join('\n');
  const { pods } = seedWorkload(h.sim.store, {
    namespace: 'noisy',
    name: 'api',
    revisions: [
      { image: 'api:1', replicas: 1, podState: 'ready' },
      { image: 'api:2', replicas: 40, podState: 'crashloop', log },
    ],
  });
  seedEvents(h.sim.store, 'noisy', 400, { kind: 'Pod', name: pods[1] }, (i) => `Back-off restarting failed container ${'z'.repeat(300)} ${i}`);
  seedEvents(h.sim.store, 'noisy', 400, { kind: 'Deployment', name: 'api' }, (i) => `Scaled ${'w'.repeat(300)} ${i}`);
});
afterAll(async () => {
  await h?.stop();
});

describe('context budget', () => {
  it('keeps the gathered context within budget, each section bounded, and the first message under 12,000 tokens with the prompt', async () => {
    const target = { namespace: 'noisy', kind: 'Deployment' as const, name: 'api', selector: 'app=api' };
    const context = await gatherContext(target, { reader: h.reader });
    expect(context.chars).toBeLessThanOrEqual(CONTEXT_BUDGET_CHARS + 200);
    expect(context.sections.map((s) => s.tool)).toEqual(
      expect.arrayContaining(['get_deployment', 'get_deployment_history', 'list_pods', 'get_events', 'get_pod_status', 'get_pod_logs']),
    );
    expect(context.sections.some((s) => s.truncated)).toBe(true);
    const message = buildFirstMessage(incident('api down', { namespace: 'noisy', deployment: 'api', blob: 'q'.repeat(50_000) }), target, context.text);
    // The first message plus system prompt (~2.5k chars) and tool schemas (~10k chars) stay under 48,000 chars.
    expect(message.length).toBeLessThan(48_000 - 13_000);
  });
});
