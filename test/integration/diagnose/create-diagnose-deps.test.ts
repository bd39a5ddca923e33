// The factory wires the real adapters from config: the runbook when no API key, Claude when there is one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../backend/src/config/load-config.js';
import { createDiagnoseDeps } from '../../../backend/src/diagnose/create-diagnose-deps.js';
import { diagnoseIncident } from '../../../backend/src/diagnose/index.js';
import { silentLogger } from '../../../backend/src/observability/logger.js';
import { createMetrics } from '../../../backend/src/observability/metrics.js';
import { FAKE_API_KEY, reply, startFakeAnthropic, type FakeAnthropicServer } from '../../fakes/fake-anthropic-server.js';
import { seedWorkload } from '../../helpers/seed-workload.js';
import { incident, startHarness, type Harness } from './diagnose-harness.js';

let h: Harness;
let fake: FakeAnthropicServer;
beforeAll(async () => {
  h = await startHarness();
  fake = await startFakeAnthropic();
  seedWorkload(h.sim.store, { namespace: 'shop', name: 'web', revisions: [{ image: 'web:1', replicas: 1, podState: 'crashloop' }] });
});
afterAll(async () => {
  await fake?.close();
  await h?.stop();
});

describe('createDiagnoseDeps', () => {
  it('uses the runbook when ANTHROPIC_API_KEY is unset', async () => {
    const config = loadConfig({ KUBECONFIG: h.sim.kubeconfigPath }, '/nonexistent/.env');
    const deps = createDiagnoseDeps(config, silentLogger(), createMetrics());
    expect(deps.llm).toBeUndefined();
    expect(deps.pagerDuty).toBeUndefined();
    const p = await diagnoseIncident(incident('shop/web crash looping'), deps);
    expect(p.analyzer).toBe('runbook');
    expect(p.escalate.required).toBe(true);
  });

  it('uses Claude with the configured model, base URL and retries when the key is set', async () => {
    fake.script([reply.toolUse('propose_remediation', { rootCause: 'bug', confidence: 0.4, evidence: [], escalate: true, escalationReason: 'no healthy revision', actions: [] })]);
    const config = loadConfig(
      { KUBECONFIG: h.sim.kubeconfigPath, ANTHROPIC_API_KEY: FAKE_API_KEY, ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_MAX_RETRIES: '0', ANTHROPIC_MODEL: 'claude-test-model' },
      '/nonexistent/.env',
    );
    const deps = createDiagnoseDeps(config, silentLogger(), createMetrics());
    const p = await diagnoseIncident(incident('shop/web crash looping'), deps);
    expect(p.analyzer).toBe('claude');
    expect(p.escalate).toEqual({ required: true, reason: 'no healthy revision' });
    expect(fake.requests[0].body.model).toBe('claude-test-model');
    expect(fake.requests[0].headers['x-stainless-retry-count']).toBe('0');
  });
});
