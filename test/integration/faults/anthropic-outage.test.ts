// Anthropic failing for a while under the real daemon: `serve` with BullMQ on a private redis-server, on kube-sim,
// the real Anthropic SDK against the fake Anthropic server. The model answers 529 overloaded, then hangs (no answer,
// or a body that stalls after its headers: ANTHROPIC_TIMEOUT_MS and the per-call deadline must fire), then returns
// invalid proposals, then recovers. Each phase's incidents arrive together over signed webhooks. Every incident must end with exactly one terminal outcome naming the
// analyzer and why the runbook stood in; the fixable ones fixed by the runbook, the unfixable one escalated; each
// model call retried a bounded number of times (no retry storm); no write run twice; the story in order; and the
// incident after the recovery diagnosed by the model again. The test ends when the outcomes arrive: no hung job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentOutcome } from '../../../backend/src/domain/outcome.js';
import { FAKE_API_KEY, reply, startFakeAnthropic, type FakeAnthropicServer, type FakeReply } from '../../fakes/fake-anthropic-server.js';
import { brokenDeployment, expectNoWriteTwice, expectStoryInOrder, imageOf, startFaultDaemon, type FaultDaemon } from './serve-fault-harness.js';

type Phase = 'overloaded' | 'hanging' | 'invalid' | 'recovered';

let fake: FakeAnthropicServer;
let daemon: FaultDaemon;
let phase: Phase = 'overloaded';

const proposalFor = (ns: string) => ({
  rootCause: `the last rollout of ${ns}/web set an image that does not exist`,
  confidence: 0.9,
  evidence: [{ fact: `pods of ${ns}/web are in ImagePullBackOff on nginx:does-not-exist`, source: 'list_pods' }],
  escalate: false,
  actions: [
    {
      command: `kubectl rollout undo deployment/web -n ${ns}`,
      description: 'roll back to the previous revision',
      confidence: 0.9,
      expectedEffect: 'pods run nginx:1.25 and become ready',
      postcondition: { type: 'rolloutComplete', namespace: ns, deployment: 'web' },
    },
  ],
});

/** What the fake answers in each phase; the namespace of the incident is read from the request (the first message). */
function answer(raw: string): FakeReply {
  if (phase === 'overloaded') return reply.overloaded();
  // No answer at all for one incident; for the other, headers and then a body that never ends.
  if (phase === 'hanging') return raw.includes('PAHANG2') ? reply.stall() : reply.hang();
  if (phase === 'invalid') return reply.toolUse('propose_remediation', { rootCause: 'bad', confidence: 7, actions: [{ command: 'rm -rf / | kubectl apply -f -' }] });
  const ns = /deployment\/web in namespace (\w+)/.exec(raw)?.[1] ?? 'unknown';
  return reply.toolUse('propose_remediation', proposalFor(ns));
}

const requestsOf = (incidentId: string) => fake.requests.filter((r) => r.raw.includes(incidentId));

beforeAll(async () => {
  fake = await startFakeAnthropic();
  fake.script((request) => answer(request.raw));
  daemon = await startFaultDaemon(() => ({
    ANTHROPIC_API_KEY: FAKE_API_KEY,
    ANTHROPIC_BASE_URL: fake.url,
    // Bounded: one SDK retry per model call, and a short per-request timeout so a hang ends quickly.
    ANTHROPIC_MAX_RETRIES: '1',
    ANTHROPIC_TIMEOUT_MS: '1000',
    LLM_FALLBACK_TO_RUNBOOK: 'true',
    WORKER_CONCURRENCY: '4',
    JOB_ATTEMPTS: '2',
  }));
  await Promise.all(
    [['ovl1'], ['ovl2'], ['ovlnew', false], ['hang1'], ['hang2'], ['bad1'], ['bad2'], ['rec1']].map(([ns, healthyFirst]) =>
      brokenDeployment(daemon.kubectl, ns as string, { healthyFirst: healthyFirst as boolean | undefined }),
    ),
  );
}, 240_000);

afterAll(async () => {
  await daemon?.stop();
  await fake?.close();
});

/** Pages every incident of a phase at once and returns each one's outcomes once all have ended. */
async function pagePhase(incidents: Array<[id: string, ns: string]>): Promise<Map<string, IncidentOutcome[]>> {
  await Promise.all(incidents.map(([id, ns]) => daemon.page(id, `Pods failing: deployment/web in namespace ${ns}`)));
  const ended = await Promise.all(incidents.map(async ([id]) => [id, await daemon.settled(id)] as const));
  return new Map(ended);
}

async function expectFixedByRunbook(id: string, ns: string, o: IncidentOutcome, reason: RegExp): Promise<void> {
  expect(o).toMatchObject({ outcome: 'fixed', run: 'triage', analyzer: 'runbook', target: { namespace: ns, name: 'web' } });
  expect(o.fallbackReason).toMatch(reason);
  expect(o.commands).toMatchObject([{ command: `kubectl rollout undo deployment/web -n ${ns}`, status: 'verified', exitCode: 0 }]);
  expect(await imageOf(daemon.kubectl, ns)).toBe('nginx:1.25');
  const trail = await daemon.trail(id);
  expectStoryInOrder(trail);
  expectNoWriteTwice(trail);
  expect(trail.find((e) => e.type === 'proposal')?.data).toMatchObject({ analyzer: 'runbook', fallbackReason: expect.stringMatching(reason) });
}

describe('Anthropic overloaded, hanging, then answering invalidly, then recovered (serve on kube-sim and Redis)', () => {
  it('529 overloaded: one SDK retry per incident, then the runbook fixes the fixable ones and escalates the other, saying why', async () => {
    phase = 'overloaded';
    const ended = await pagePhase([['PAOVL1', 'ovl1'], ['PAOVL2', 'ovl2'], ['PAOVLNEW', 'ovlnew']]);
    for (const [id, ns] of [['PAOVL1', 'ovl1'], ['PAOVL2', 'ovl2']]) {
      const [o, ...more] = ended.get(id)!;
      expect(more).toEqual([]);
      await expectFixedByRunbook(id, ns, o, /^overloaded: Anthropic API error 529/);
      expect(requestsOf(id)).toHaveLength(2); // the request and ANTHROPIC_MAX_RETRIES=1 retry: no retry storm
    }
    const [unfixable, ...more] = ended.get('PAOVLNEW')!;
    expect(more).toEqual([]);
    expect(unfixable).toMatchObject({ outcome: 'escalated', analyzer: 'runbook', commands: [] });
    expect(unfixable.fallbackReason).toMatch(/^overloaded:/);
    expect(unfixable.reasons.length).toBeGreaterThan(0);
    expectStoryInOrder(await daemon.trail('PAOVLNEW'));
    expect(await imageOf(daemon.kubectl, 'ovlnew')).toBe('nginx:does-not-exist');
  }, 300_000);

  it('no answer, or a body that stalls after the headers: the call is bounded, no job hangs, the runbook fixes both', async () => {
    phase = 'hanging';
    const ended = await pagePhase([['PAHANG1', 'hang1'], ['PAHANG2', 'hang2']]);
    for (const [id, ns] of [['PAHANG1', 'hang1'], ['PAHANG2', 'hang2']]) {
      const [o, ...more] = ended.get(id)!;
      expect(more).toEqual([]);
      await expectFixedByRunbook(id, ns, o, /^timeout:/);
      // No answer: the attempt times out and is retried once. A stalled body is past the SDK's retries: the deadline ends it.
      expect(requestsOf(id)).toHaveLength(id === 'PAHANG1' ? 2 : 1);
    }
  }, 300_000);

  it('invalid proposals (shell syntax, confidence 7): one corrective round, then the runbook stands in; nothing the model wrote runs', async () => {
    phase = 'invalid';
    const ended = await pagePhase([['PABAD1', 'bad1'], ['PABAD2', 'bad2']]);
    for (const [id, ns] of [['PABAD1', 'bad1'], ['PABAD2', 'bad2']]) {
      const [o, ...more] = ended.get(id)!;
      expect(more).toEqual([]);
      await expectFixedByRunbook(id, ns, o, /^invalid_output: invalid proposal after one correction/);
      expect(requestsOf(id)).toHaveLength(2);
      expect(o.tokens?.input).toBeGreaterThan(0); // the tokens the failed analysis spent are still reported
      expect(JSON.stringify(await daemon.trail(id))).not.toMatch(/"command":"rm -rf/);
    }
  }, 300_000);

  it('once Anthropic recovers, the next incident is diagnosed by the model again and fixed', async () => {
    phase = 'recovered';
    const ended = await pagePhase([['PAREC1', 'rec1']]);
    const [o, ...more] = ended.get('PAREC1')!;
    expect(more).toEqual([]);
    expect(o).toMatchObject({ outcome: 'fixed', analyzer: 'claude', target: { namespace: 'rec1', name: 'web' } });
    expect(o.fallbackReason).toBeUndefined();
    expect(o.commands).toMatchObject([{ command: 'kubectl rollout undo deployment/web -n rec1', status: 'verified' }]);
    expect(requestsOf('PAREC1')).toHaveLength(1);
    expect(await imageOf(daemon.kubectl, 'rec1')).toBe('nginx:1.25');
    const trail = await daemon.trail('PAREC1');
    expectStoryInOrder(trail);
    expectNoWriteTwice(trail);
    // The daemon kept running through all of it.
    expect(daemon.agent.child.exitCode).toBeNull();
    expect((await fetch(`${daemon.url}/healthz`)).status).toBe(200);
  }, 300_000);
});
