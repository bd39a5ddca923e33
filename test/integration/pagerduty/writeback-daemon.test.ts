import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';
import type { ServeProcess } from '../../helpers/spawn-serve.js';
import { startWritebackDaemon, type AuditLine } from '../../helpers/writeback-daemon.js';
import { FAKE_API_KEY, reply, startFakeAnthropic, type FakeAnthropicServer } from '../../fakes/fake-anthropic-server.js';
import { FAKE_PD_AGENT, FAKE_PD_HUMAN, startFakePagerDuty, type FakePagerDutyServer, type FakePdIncident } from '../../fakes/fake-pagerduty-server.js';

// The PagerDuty round trip through the real daemon (`oncall-agent serve`) on kube-sim, with the fake PagerDuty on
// loopback speaking REST v2 and Events v2: which notes arrive, in which order, acknowledge and resolve, PagerDuty down
// for the whole remediation, and the lifecycle webhooks steering the run.

const SECRET = 'whsec-writeback';
const ROUTING_KEY = 'Rwb'.padEnd(32, '0');
let redis: TestRedis;
let sim: RunningSim;
let pd: FakePagerDutyServer;
let anthropic: FakeAnthropicServer;
let dir: string;
const started: ServeProcess[] = [];

beforeAll(async () => {
  [redis, sim, pd, anthropic] = await Promise.all([startTestRedis(), startSim({ speed: 20 }), startFakePagerDuty(), startFakeAnthropic()]);
  dir = mkdtempSync(join(tmpdir(), 'oncall-wb-daemon-'));
}, 60_000);
afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.allSettled([redis?.close(), sim?.stop(), pd?.close(), anthropic?.close()]);
  rmSync(dir, { recursive: true, force: true });
});


/** A daemon on Redis and the sim, writing back to the fake PagerDuty; each test its own state and key prefix. */
async function daemon(name: string, env: Record<string, string> = {}) {
  const { p, url, audit } = await startWritebackDaemon(
    { dir, name, redisUrl: redis.url, pdUrl: pd.url, kubeconfig: sim.kubeconfigPath, webhookSecret: SECRET, env: { PAGERDUTY_EVENTS_URL: pd.url, PAGERDUTY_ROUTING_KEY: ROUTING_KEY, EXECUTION_MODE: 'yolo', LOG_LEVEL: 'info', ...env } },
    started,
  );
  const send = async (type: 'incident.triggered' | 'incident.acknowledged' | 'incident.resolved', incidentId: string, agent?: Record<string, unknown>) => {
    const payload = loadFixture(type);
    payload.event.id = `${type}-${incidentId}-${Date.now()}`;
    Object.assign(payload.event.data, { id: incidentId, title: `CrashLoopBackOff: deployment/web in namespace ${nsOf(incidentId)}` });
    if (agent) payload.event.agent = agent;
    const delivery = signDelivery(payload, [SECRET], `${payload.event.id}`);
    const res = await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers });
    expect(res.status).toBe(202);
  };
  /** A note added in PagerDuty, as the signed incident.annotated webhook (or signed with the wrong secret). */
  const annotate = async (incidentId: string, content: string, agent: Record<string, unknown>, secret = SECRET) => {
    const payload = loadFixture('incident.annotated');
    payload.event.id = `annotated-${incidentId}-${Math.random().toString(36).slice(2)}`;
    payload.event.agent = agent;
    Object.assign(payload.event.data, { id: `N${payload.event.id}`, content, incident: { ...(payload.event.data.incident as object), id: incidentId } });
    const delivery = signDelivery(payload, [secret], payload.event.id);
    return (await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers })).status;
  };
  return { p, url, audit, send, annotate, stop: async () => (p.child.kill('SIGTERM'), await p.exited) };
}

const nsOf = (incidentId: string) => incidentId.toLowerCase();

/** web in its own namespace, rolled to an image that cannot be pulled; the incident exists in the fake PagerDuty. */
async function brokenWeb(incidentId: string): Promise<{ kubectl: (...args: string[]) => Promise<string>; incident: FakePdIncident }> {
  const ns = nsOf(incidentId);
  const k = kubectlFor(sim.kubeconfigPath);
  const kubectl = (...args: string[]) => k.ok(args);
  await kubectl('create', 'namespace', ns);
  await kubectl('create', 'deployment', 'web', '-n', ns, '--image=nginx:1.27', '--replicas=2');
  await kubectl('rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s');
  await kubectl('set', 'image', 'deployment/web', '-n', ns, 'nginx=nginx:does-not-exist');
  await eventually(async () => /ErrImagePull|ImagePullBackOff/.test(await kubectl('get', 'pods', '-n', ns)), 30_000);
  const incident: FakePdIncident = {
    id: incidentId,
    title: `CrashLoopBackOff: deployment/web in namespace ${ns}`,
    status: 'triggered',
    service: { id: 'PF9KMXH' },
    alerts: [{ id: `A${incidentId}`, summary: 'web cannot start', body: { details: { namespace: ns, deployment: 'web' } } }],
  };
  pd.state.incidents.push(incident);
  return { kubectl, incident };
}

/** Waits for `check`; on timeout says what the daemon and PagerDuty saw, so a failure is readable. */
async function until(agent: { audit(): AuditLine[]; p: ServeProcess }, incidentId: string, check: () => unknown, timeoutMs: number): Promise<void> {
  await eventually(() => check() || undefined, timeoutMs, 200).catch((error: Error) => {
    const trail = agent.audit().filter((e) => e.incidentId === incidentId).map((e) => `${e.type} ${JSON.stringify(e.data).slice(0, 300)}`);
    const calls = pd.requests.filter((r) => r.path.includes(incidentId) || r.path.startsWith('/v2/')).map((r) => `${r.method} ${r.path}`);
    const logs = agent.p.lines.filter((l) => Number(l.level) >= 40).map((l) => String(l.msg)).slice(-15);
    throw new Error(`${error.message}\naudit:\n${trail.join('\n')}\nPagerDuty calls: ${calls.join(', ')}\nwarnings: ${logs.join(' | ')}\nstderr: ${agent.p.stderr().slice(-2_000)}`);
  });
}

const noteHeads = (incident: FakePdIncident) => (incident.notes ?? []).map((n) => n.content.split('\n')[0]);
const requestsFor = (incidentId: string) => pd.requests.filter((r) => r.path.startsWith(`/incidents/${incidentId}`));
const outcomeOf = (audit: AuditLine[], incidentId: string) => audit.find((e) => e.type === 'incident.outcome' && e.incidentId === incidentId)?.data;
const image = (kubectl: (...args: string[]) => Promise<string>, ns: string) => kubectl('get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}');

describe('PagerDuty write-back through the daemon', () => {
  it('YOLO: acknowledges on pickup, then diagnosis, plan, result and resolution notes, a change event, and resolves', async () => {
    const { kubectl, incident } = await brokenWeb('PYOLO1');
    const agent = await daemon('yolo');
    try {
      await agent.send('incident.triggered', 'PYOLO1');
      await until(agent, 'PYOLO1', () => incident.status === 'resolved', 90_000);
      expect(await image(kubectl, 'pyolo1')).toBe('nginx:1.27');
      expect(noteHeads(incident)).toEqual([
        'oncall-agent · diagnosis (runbook analyzer)',
        'oncall-agent · plan (yolo mode)',
        'oncall-agent · result: fixed and verified',
        'oncall-agent · resolving: the fix is verified and the original symptom is gone',
      ]);
      const [diagnosis, plan, result] = (incident.notes ?? []).map((n) => n.content);
      expect(diagnosis).toMatch(/Root cause: .+/);
      expect(diagnosis).toMatch(/Confidence: \d+%/);
      expect(plan).toContain('kubectl rollout undo deployment/web -n pyolo1');
      expect(plan).toMatch(/→ executed \(exit 0, verified\)/);
      expect(result).toMatch(/Time to verified fix: \d+/);
      // Acknowledged before the first note, resolved after the last; every write with the From header.
      const writes = requestsFor('PYOLO1').filter((r) => r.method !== 'GET');
      expect(writes[0]).toMatchObject({ method: 'PUT', body: { incident: { type: 'incident_reference', status: 'acknowledged' } } });
      expect(writes.at(-1)).toMatchObject({ method: 'PUT', body: { incident: { type: 'incident_reference', status: 'resolved' } } });
      expect(writes.every((r) => r.headers.from === FAKE_PD_AGENT.email)).toBe(true);
      const changes = pd.state.events.filter((e) => e.path === '/v2/change/enqueue' && JSON.stringify(e.body).includes('PYOLO1'));
      expect(changes.map((e) => (e.body.payload as { summary: string }).summary)).toEqual(['oncall-agent ran: kubectl rollout undo deployment/web -n pyolo1 (exit 0, verified)']);
      expect(outcomeOf(agent.audit(), 'PYOLO1')).toMatchObject({ outcome: 'fixed' });
      if (process.env.SHOW_NOTES) console.log(incident.notes!.map((n) => n.content).join('\n\n'));
    } finally {
      await agent.stop();
    }
  }, 120_000);

  it('approval mode: diagnosis, then an announcement with the approval id, the exact command, its risk, the expiry and how to approve', async () => {
    const { kubectl, incident } = await brokenWeb('PAPPR1');
    const agent = await daemon('approval', { EXECUTION_MODE: 'approval' });
    try {
      await agent.send('incident.triggered', 'PAPPR1');
      await until(agent, 'PAPPR1', () => (incident.notes ?? []).length >= 2, 90_000);
      const outcome = outcomeOf(agent.audit(), 'PAPPR1') as { outcome: string; approval: { id: string } };
      expect(outcome.outcome).toBe('awaiting_approval');
      expect(noteHeads(incident)).toEqual(['oncall-agent · diagnosis (runbook analyzer)', `oncall-agent · approval needed: ${outcome.approval.id}`]);
      const announcement = incident.notes![1].content;
      expect(announcement).toMatch(/1\. \[(medium|high)\] kubectl rollout undo deployment\/web -n pappr1/);
      expect(announcement).toMatch(/Expires: \d{4}-\d\d-\d\dT/);
      expect(announcement).toContain(`oncall-agent approve ${outcome.approval.id}`);
      expect(incident.status).toBe('acknowledged');
      expect(await image(kubectl, 'pappr1')).toBe('nginx:does-not-exist');
    } finally {
      await agent.stop();
    }
  }, 120_000);

  it('approval by a PagerDuty note: forged and outsiders refused, the allowed approver runs the plan, a second approve runs nothing', async () => {
    const { kubectl, incident } = await brokenWeb('PNOTE1');
    const agent = await daemon('note-approval', { EXECUTION_MODE: 'approval', APPROVER_PAGERDUTY_USER_IDS: FAKE_PD_HUMAN.id });
    try {
      await agent.send('incident.triggered', 'PNOTE1');
      await until(agent, 'PNOTE1', () => (incident.notes ?? []).length >= 2, 90_000);
      const { approval } = outcomeOf(agent.audit(), 'PNOTE1') as { approval: { id: string } };
      const human = { id: FAKE_PD_HUMAN.id, type: 'user_reference', summary: FAKE_PD_HUMAN.name };
      // A forged note (not signed with the subscription's secret) never gets past ingest.
      expect(await agent.annotate('PNOTE1', `/approve ${approval.id}`, human, 'not-the-secret')).toBe(401);
      // Someone outside APPROVER_PAGERDUTY_USER_IDS: refused, said so on the incident, nothing runs.
      expect(await agent.annotate('PNOTE1', `/approve ${approval.id}`, { id: 'PSTRANGE', type: 'user_reference', summary: 'Mallory' })).toBe(202);
      await until(agent, 'PNOTE1', () => noteHeads(incident).some((h) => h.startsWith(`oncall-agent · /approve ${approval.id} from Mallory refused`)), 30_000);
      expect(incident.notes!.at(-1)!.content).toContain('is not in APPROVER_PAGERDUTY_USER_IDS');
      expect(await image(kubectl, 'pnote1')).toBe('nginx:does-not-exist');
      // The allowed approver: the plan runs in the worker, and the run's notes follow.
      expect(await agent.annotate('PNOTE1', `/approve ${approval.id}\nlooks right`, human)).toBe(202);
      await until(agent, 'PNOTE1', () => agent.audit().some((e) => e.type === 'incident.outcome' && e.incidentId === 'PNOTE1' && e.data.run === 'approval'), 90_000);
      const run = agent.audit().find((e) => e.type === 'incident.outcome' && e.incidentId === 'PNOTE1' && e.data.run === 'approval')!;
      expect(run.data).toMatchObject({ outcome: 'fixed', approval: { id: approval.id } });
      expect(agent.audit().find((e) => e.type === 'approval.granted' && e.incidentId === 'PNOTE1')?.actor).toContain(FAKE_PD_HUMAN.name);
      expect(await image(kubectl, 'pnote1')).toBe('nginx:1.27');
      await until(agent, 'PNOTE1', () => noteHeads(incident).includes('oncall-agent · result: fixed and verified'), 30_000);
      expect(noteHeads(incident)).toContain('oncall-agent · plan (approval mode, approved)');
      // A second approve of the same approval executes nothing more.
      expect(await agent.annotate('PNOTE1', `/approve ${approval.id}`, human)).toBe(202);
      const outcomes = () => agent.audit().filter((e) => e.type === 'incident.outcome' && e.incidentId === 'PNOTE1');
      await until(agent, 'PNOTE1', () => outcomes().length >= 3, 30_000);
      expect(outcomes()[2].data).toMatchObject({ outcome: 'refused', run: 'approval' });
      // …and says so on the incident.
      await until(agent, 'PNOTE1', () => incident.notes!.some((n) => n.content.startsWith('oncall-agent · result: refused by policy') && n.content.includes('was already executed')), 30_000);
      expect(agent.audit().filter((e) => e.type === 'execution' && e.incidentId === 'PNOTE1')).toHaveLength(1);
    } finally {
      await agent.stop();
    }
  }, 180_000);

  it('plan mode: diagnosis and the preview as notes, and no status change', async () => {
    const { kubectl, incident } = await brokenWeb('PPLAN1');
    const agent = await daemon('plan', { EXECUTION_MODE: 'plan' });
    try {
      await agent.send('incident.triggered', 'PPLAN1');
      await until(agent, 'PPLAN1', () => (incident.notes ?? []).length >= 2, 90_000);
      expect(noteHeads(incident)).toEqual(['oncall-agent · diagnosis (runbook analyzer)', 'oncall-agent · preview (plan mode: nothing was changed)']);
      expect(incident.notes![1].content).toContain('kubectl rollout undo deployment/web -n pplan1');
      expect(requestsFor('PPLAN1').some((r) => r.method === 'PUT')).toBe(false);
      expect(incident.status).toBe('triggered');
      expect(await image(kubectl, 'pplan1')).toBe('nginx:does-not-exist');
    } finally {
      await agent.stop();
    }
  }, 120_000);

  it('without PAGERDUTY_API_TOKEN: runs as before, says so once at start, and writes nothing to PagerDuty', async () => {
    await brokenWeb('PNOTOK1');
    const agent = await daemon('no-token', { EXECUTION_MODE: 'plan', PAGERDUTY_API_TOKEN: '', PAGERDUTY_FROM_EMAIL: '' });
    try {
      const said = agent.p.lines.filter((l) => String(l.msg).startsWith('PAGERDUTY_API_TOKEN is not set: nothing is written back to PagerDuty'));
      expect(said).toHaveLength(1);
      await agent.send('incident.triggered', 'PNOTOK1');
      await until(agent, 'PNOTOK1', () => outcomeOf(agent.audit(), 'PNOTOK1'), 60_000);
      expect(outcomeOf(agent.audit(), 'PNOTOK1')).toMatchObject({ outcome: 'previewed' });
      expect(requestsFor('PNOTOK1')).toEqual([]);
    } finally {
      await agent.stop();
    }
  }, 120_000);

  it('PagerDuty down for the whole remediation: the fix still happens and is verified; the notes arrive once it is back, each exactly once', async () => {
    const { kubectl, incident } = await brokenWeb('PDOWN1');
    pd.state.failWith = 503;
    const agent = await daemon('down');
    try {
      await agent.send('incident.triggered', 'PDOWN1');
      await until(agent, 'PDOWN1', () => outcomeOf(agent.audit(), 'PDOWN1'), 90_000);
      expect(outcomeOf(agent.audit(), 'PDOWN1')).toMatchObject({ outcome: 'fixed' });
      expect(await image(kubectl, 'pdown1')).toBe('nginx:1.27');
      expect(incident.notes ?? []).toHaveLength(0);
      pd.state.failWith = undefined;
      await until(agent, 'PDOWN1', () => incident.status === 'resolved', 60_000);
      // Both write-back jobs (acknowledge, outcome) report delivery; nothing more is posted after that.
      await eventually(() => agent.audit().filter((e) => e.type === 'pagerduty.writeback' && e.incidentId === 'PDOWN1').length >= 2, 30_000, 200);
      const refs = (incident.notes ?? []).map((n) => n.content.split('\n').at(-1));
      expect(refs).toHaveLength(4);
      expect(new Set(refs).size).toBe(4);
      expect(noteHeads(incident)[0]).toBe('oncall-agent · diagnosis (runbook analyzer)');
    } finally {
      pd.state.failWith = undefined;
      await agent.stop();
    }
  }, 150_000);
});

describe('PagerDuty lifecycle webhooks through the daemon', () => {
  /** The model answers only once released: the run waits in diagnosis while the test sends lifecycle webhooks. */
  function holdDiagnosis(ns: string) {
    let released = false;
    anthropic.script(() =>
      released
        ? reply.toolUse('propose_remediation', {
            rootCause: 'the last rollout set an image that does not exist',
            confidence: 0.95,
            evidence: [{ fact: 'web pods are in ImagePullBackOff', source: 'get_pod_status' }],
            escalate: false,
            actions: [
              {
                command: `kubectl rollout undo deployment/web -n ${ns}`,
                description: 'roll back to the previous revision',
                confidence: 0.95,
                expectedEffect: 'pods run nginx:1.27 and become ready',
                postcondition: { type: 'rolloutComplete', namespace: ns, deployment: 'web' },
              },
            ],
          })
        : reply.hang(),
    );
    return () => void (released = true);
  }
  const claudeEnv = { ANTHROPIC_API_KEY: FAKE_API_KEY, ANTHROPIC_TIMEOUT_MS: '2000', ANTHROPIC_MAX_RETRIES: '8', LLM_FALLBACK_TO_RUNBOOK: 'false' };

  it('incident.resolved while the agent diagnoses: the run stops before its write, and nothing is changed', async () => {
    const { kubectl } = await brokenWeb('PRES1');
    const release = holdDiagnosis('pres1');
    const agent = await daemon('resolved', { ...claudeEnv, ANTHROPIC_BASE_URL: anthropic.url });
    try {
      await agent.send('incident.triggered', 'PRES1');
      await eventually(() => anthropic.requests.length > 0, 30_000);
      await agent.send('incident.resolved', 'PRES1', { id: FAKE_PD_HUMAN.id, type: 'user_reference', summary: FAKE_PD_HUMAN.name });
      await eventually(() => agent.audit().some((e) => e.type === 'incident.lifecycle' && e.incidentId === 'PRES1' && e.data.status === 'resolved'), 30_000);
      release();
      await until(agent, 'PRES1', () => agent.audit().some((e) => e.incidentId === 'PRES1' && e.type === 'incident.lifecycle' && e.data.stopped === 'triage'), 60_000);
      expect(agent.audit().filter((e) => e.incidentId === 'PRES1').map((e) => e.type)).not.toContain('execution');
      expect(await image(kubectl, 'pres1')).toBe('nginx:does-not-exist');
    } finally {
      await agent.stop();
    }
  }, 120_000);

  it('incident.acknowledged by a person before the agent acts: that incident runs in plan mode', async () => {
    const { kubectl, incident } = await brokenWeb('PACK1');
    const release = holdDiagnosis('pack1');
    const agent = await daemon('human-ack', { ...claudeEnv, ANTHROPIC_BASE_URL: anthropic.url });
    try {
      await agent.send('incident.triggered', 'PACK1');
      await eventually(() => anthropic.requests.length > 0, 30_000);
      // First the agent's own acknowledgement comes back (ignored), then a person's.
      await agent.send('incident.acknowledged', 'PACK1', { id: FAKE_PD_AGENT.id, type: 'user_reference', summary: FAKE_PD_AGENT.name });
      await agent.send('incident.acknowledged', 'PACK1', { id: FAKE_PD_HUMAN.id, type: 'user_reference', summary: FAKE_PD_HUMAN.name });
      await eventually(() => agent.audit().some((e) => e.type === 'incident.lifecycle' && e.incidentId === 'PACK1' && e.data.forcedMode === 'plan'), 30_000);
      expect(agent.audit().filter((e) => e.incidentId === 'PACK1' && e.data.forcedMode === 'plan')).toHaveLength(1);
      release();
      await until(agent, 'PACK1', () => outcomeOf(agent.audit(), 'PACK1'), 60_000);
      expect(outcomeOf(agent.audit(), 'PACK1')).toMatchObject({ outcome: 'previewed', mode: 'plan' });
      expect(await image(kubectl, 'pack1')).toBe('nginx:does-not-exist');
      await eventually(() => (incident.notes ?? []).length >= 2, 30_000, 200);
      expect(noteHeads(incident)).toEqual(['oncall-agent · diagnosis (claude analyzer)', 'oncall-agent · preview (plan mode: nothing was changed)']);
    } finally {
      await agent.stop();
    }
  }, 120_000);

  it("the agent's own acknowledgement does not put the incident in plan mode", async () => {
    const { kubectl, incident } = await brokenWeb('POWN1');
    const release = holdDiagnosis('pown1');
    const agent = await daemon('own-ack', { ...claudeEnv, ANTHROPIC_BASE_URL: anthropic.url });
    try {
      await agent.send('incident.triggered', 'POWN1');
      await eventually(() => anthropic.requests.length > 0, 30_000);
      await agent.send('incident.acknowledged', 'POWN1', { id: FAKE_PD_AGENT.id, type: 'user_reference', summary: FAKE_PD_AGENT.name });
      await eventually(() => agent.audit().some((e) => e.type === 'incident.lifecycle' && e.incidentId === 'POWN1' && e.data.status === 'acknowledged'), 30_000);
      release();
      await until(agent, 'POWN1', () => outcomeOf(agent.audit(), 'POWN1'), 60_000);
      expect(outcomeOf(agent.audit(), 'POWN1')).toMatchObject({ outcome: 'fixed', mode: 'yolo' });
      expect(await image(kubectl, 'pown1')).toBe('nginx:1.27');
      await until(agent, 'POWN1', () => incident.status === 'resolved', 30_000);
    } finally {
      await agent.stop();
    }
  }, 120_000);
});
