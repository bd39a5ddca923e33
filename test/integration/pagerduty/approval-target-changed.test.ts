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
import { FAKE_PD_HUMAN, startFakePagerDuty, type FakePagerDutyServer, type FakePdIncident } from '../../fakes/fake-pagerduty-server.js';

// "If the target changed since the plan, the approval is refused and a new plan is made and announced", through the
// real daemon (approval mode, Redis queue, kube-sim, the fake PagerDuty on loopback): a spec change (generation) is
// refused with nothing executed, the refusal is noted, a new approval is announced and approving it fixes the
// workload; a status-only change (pods replaced, an annotation: resourceVersion moves, generation does not) is not
// refused. Also: the announcement links to the approval page with PUBLIC_URL; without APPROVAL_TOKEN the HTTP
// approval channels do not exist; and an approval given after its expiry is refused (the one test here that waits on
// the clock: a minute, with the expiry sweep every 6 s; approval-expiry.test.ts covers expiry with a shorter TTL).

const SECRET = 'whsec-target-changed';
const TOKEN = 'approval-token-target-changed-0123';
const PUBLIC_URL = 'https://oncall-agent.example.com/';
let redis: TestRedis;
let sim: RunningSim;
let pd: FakePagerDutyServer;
let dir: string;
const started: ServeProcess[] = [];

beforeAll(async () => {
  [redis, sim, pd] = await Promise.all([startTestRedis(), startSim({ speed: 20 }), startFakePagerDuty()]);
  dir = mkdtempSync(join(tmpdir(), 'oncall-target-changed-'));
}, 60_000);
afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.allSettled([redis?.close(), sim?.stop(), pd?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const k = () => kubectlFor(sim.kubeconfigPath);

async function daemon(name: string, env: Record<string, string>) {
  const { p, url, audit } = await startWritebackDaemon(
    { dir, name, redisUrl: redis.url, pdUrl: pd.url, kubeconfig: sim.kubeconfigPath, webhookSecret: SECRET, env: { EXECUTION_MODE: 'approval', ...env } },
    started,
  );
  const trigger = async (incidentId: string) => {
    const payload = loadFixture('incident.triggered');
    payload.event.id = `trigger-${incidentId}`;
    Object.assign(payload.event.data, { id: incidentId, title: `CrashLoopBackOff: deployment/web in namespace ${incidentId.toLowerCase()}` });
    const delivery = signDelivery(payload, [SECRET], payload.event.id);
    expect((await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers })).status).toBe(202);
  };
  const annotate = async (incidentId: string, content: string) => {
    const payload = loadFixture('incident.annotated');
    payload.event.id = `annotated-${incidentId}-${Math.random().toString(36).slice(2)}`;
    payload.event.agent = { id: FAKE_PD_HUMAN.id, type: 'user_reference', summary: FAKE_PD_HUMAN.name };
    Object.assign(payload.event.data, { id: `N${payload.event.id}`, content, incident: { ...(payload.event.data.incident as object), id: incidentId } });
    const delivery = signDelivery(payload, [SECRET], payload.event.id);
    expect((await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers })).status).toBe(202);
  };
  const approve = async (approvalId: string) => {
    const res = await fetch(`${url}/approvals/${approvalId}/approve`, { method: 'POST', body: JSON.stringify({ approver: 'alice' }), headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } });
    return { status: res.status, body: (await res.json()) as { status: string; message?: string; outcome?: Record<string, unknown> } };
  };
  /** Waits for `check`; on timeout says what the daemon and PagerDuty saw. */
  const until = async <T,>(incidentId: string, check: () => T | undefined | false, timeoutMs = 90_000): Promise<T> =>
    eventually(() => check() || undefined, timeoutMs, 200).catch((error: Error) => {
      const trail = audit().filter((e) => e.incidentId === incidentId).map((e) => `${e.type} ${JSON.stringify(e.data).slice(0, 300)}`);
      const notes = (pd.state.incidents.find((i) => i.id === incidentId)?.notes ?? []).map((n) => n.content.split('\n')[0]);
      throw new Error(`${error.message}\naudit:\n${trail.join('\n')}\nnotes: ${notes.join(' | ')}\nstderr: ${p.stderr().slice(-2_000)}`);
    }) as Promise<T>;
  return { p, url, audit, trigger, annotate, approve, until };
}

/** web in its own namespace, rolled to an image that cannot be pulled; the incident exists in the fake PagerDuty. */
async function brokenWeb(incidentId: string): Promise<FakePdIncident> {
  const ns = incidentId.toLowerCase();
  const kubectl = (...args: string[]) => k().ok(args);
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
  return incident;
}

const deploymentJson = async (ns: string) => JSON.parse(await k().ok(['get', 'deployment', 'web', '-n', ns, '-o', 'json'])) as { metadata: { generation: number; resourceVersion: string }; spec: Record<string, unknown> };
const noteHeads = (incident: FakePdIncident) => (incident.notes ?? []).map((n) => n.content.split('\n')[0]);
const outcomes = (audit: AuditLine[], incidentId: string) => audit.filter((e) => e.type === 'incident.outcome' && e.incidentId === incidentId).map((e) => e.data as { outcome: string; run: string; approval?: { id: string }; targetChanged?: { next: string; changes: string[] } });

describe('an approval whose target changed since the plan', () => {
  let agent: Awaited<ReturnType<typeof daemon>>;
  beforeAll(async () => {
    agent = await daemon('changed', { APPROVAL_TOKEN: TOKEN, PUBLIC_URL });
  }, 60_000);
  // Daemons on one Redis share the job queue: this one stops before the next describe's daemon takes jobs.
  afterAll(async () => {
    agent?.p.child.kill('SIGTERM');
    await agent?.p.exited;
  }, 30_000);

  it('a spec change is refused with nothing executed and said in a note; a new approval is announced, and approving it fixes the workload', async () => {
    const incident = await brokenWeb('PCHG1');
    await agent.trigger('PCHG1');
    const first = await agent.until('PCHG1', () => outcomes(agent.audit(), 'PCHG1').find((o) => o.outcome === 'awaiting_approval')?.approval);
    const announcement = await agent.until('PCHG1', () => incident.notes?.find((n) => n.content.startsWith(`oncall-agent · approval needed: ${first.id}`)), 30_000);
    // With PUBLIC_URL (and APPROVAL_TOKEN, so the page exists) the announcement links to the approval page.
    expect(announcement.content).toContain('- Web: https://oncall-agent.example.com/ui/approvals');

    // Someone scales web while the approval waits: the spec changed, so generation moves.
    const planned = await deploymentJson('pchg1');
    await k().ok(['scale', 'deployment/web', '-n', 'pchg1', '--replicas=3']);
    const changed = await deploymentJson('pchg1');
    expect(changed.metadata.generation).toBe(planned.metadata.generation + 1);

    const refused = await agent.approve(first.id);
    expect(refused.status).toBe(409);
    expect(refused.body.status).toBe('refused');
    const line = `target deployment/web in pchg1 changed since the plan (generation ${planned.metadata.generation} → ${changed.metadata.generation})`;
    expect(refused.body.message).toContain(line);
    expect(refused.body.message).toMatch(/nothing executed\. A new diagnosis and plan .* follow\.$/);
    expect(refused.body.outcome).toMatchObject({ outcome: 'refused', run: 'approval', approval: { id: first.id }, targetChanged: { changes: [line], next: 'replan-queued' } });
    // Nothing ran: no execution record, and the Deployment is exactly as the person left it.
    expect(agent.audit().filter((e) => e.type === 'execution' && e.incidentId === 'PCHG1')).toHaveLength(0);
    expect((await deploymentJson('pchg1')).spec).toEqual(changed.spec);

    // The refusal is noted, then a fresh triage makes a new plan, announced with a new approval id.
    const second = await agent.until('PCHG1', () => outcomes(agent.audit(), 'PCHG1').filter((o) => o.outcome === 'awaiting_approval')[1]?.approval);
    expect(second.id).not.toBe(first.id);
    await agent.until('PCHG1', () => noteHeads(incident).includes(`oncall-agent · approval needed: ${second.id}`), 30_000);
    const heads = noteHeads(incident);
    const refusalAt = heads.indexOf(`oncall-agent · approval ${first.id} refused: the target changed since the plan`);
    expect(refusalAt).toBeGreaterThan(heads.indexOf(`oncall-agent · approval needed: ${first.id}`));
    expect(heads.indexOf(`oncall-agent · approval needed: ${second.id}`)).toBeGreaterThan(refusalAt);
    const refusalNote = incident.notes![refusalAt].content;
    expect(refusalNote).toContain(`- ${line}`);
    expect(refusalNote).toContain('Nothing was executed, and this approval can no longer run.');
    expect(refusalNote).toContain('A new plan follows');
    expect(agent.audit().filter((e) => e.type === 'incident.received' && e.incidentId === 'PCHG1')).toHaveLength(2);

    // The old approval stays refused whatever channel asks again, and queues no second re-plan.
    expect(await agent.approve(first.id)).toMatchObject({ status: 409 });

    // Approving the new plan (this time by a PagerDuty note) runs it against the cluster as it is now.
    await agent.annotate('PCHG1', `/approve ${second.id}`);
    const ran = await agent.until('PCHG1', () => outcomes(agent.audit(), 'PCHG1').find((o) => o.run === 'approval' && o.approval?.id === second.id && o.outcome !== 'refused'));
    expect(ran.outcome).toBe('fixed');
    expect(await k().ok(['get', 'deployment', 'web', '-n', 'pchg1', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.spec.replicas}'])).toBe('nginx:1.27 3');
    expect(agent.audit().filter((e) => e.type === 'execution' && e.incidentId === 'PCHG1')).toHaveLength(1);
    expect(outcomes(agent.audit(), 'PCHG1').filter((o) => o.outcome === 'awaiting_approval')).toHaveLength(2);
  }, 240_000);

  it('a status-only change (pods replaced, an annotation: resourceVersion moves, generation does not) is not refused', async () => {
    await brokenWeb('PSTAT1');
    await agent.trigger('PSTAT1');
    const approval = await agent.until('PSTAT1', () => outcomes(agent.audit(), 'PSTAT1').find((o) => o.outcome === 'awaiting_approval')?.approval);
    const planned = await deploymentJson('pstat1');
    await k().ok(['delete', 'pods', '-l', 'app=web', '-n', 'pstat1', '--wait=false']);
    await k().ok(['annotate', 'deployment/web', '-n', 'pstat1', 'oncall.example.com/looked-at=yes']);
    const now = await deploymentJson('pstat1');
    expect(now.metadata.resourceVersion).not.toBe(planned.metadata.resourceVersion);
    expect(now.metadata.generation).toBe(planned.metadata.generation);

    const result = await agent.approve(approval.id);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ status: 'ran', outcome: { outcome: 'fixed', run: 'approval' } });
    expect(await k().ok(['get', 'deployment', 'web', '-n', 'pstat1', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.27');
  }, 180_000);
});

describe('without APPROVAL_TOKEN, and with a short APPROVAL_TTL_SECONDS', () => {
  let agent: Awaited<ReturnType<typeof daemon>>;
  beforeAll(async () => {
    agent = await daemon('no-token', { PUBLIC_URL, APPROVAL_TTL_SECONDS: '60', APPROVER_PAGERDUTY_USER_IDS: FAKE_PD_HUMAN.id });
  }, 60_000);

  it('the approvals API and the approval page do not exist (404), and the announcement has no page link even with PUBLIC_URL', async () => {
    for (const [method, path] of [['GET', '/approvals'], ['POST', '/approvals/apr-x/approve'], ['POST', '/approvals/apr-x/deny'], ['GET', '/ui/approvals'], ['GET', '/ui'], ['POST', '/ui/login'], ['POST', '/webhooks/pagerduty/actions']]) {
      const res = await fetch(`${agent.url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 404`);
    }
    const incident = await brokenWeb('PNOTOK1');
    await agent.trigger('PNOTOK1');
    const approval = await agent.until('PNOTOK1', () => outcomes(agent.audit(), 'PNOTOK1').find((o) => o.outcome === 'awaiting_approval')?.approval);
    const announcement = await agent.until('PNOTOK1', () => incident.notes?.find((n) => n.content.startsWith(`oncall-agent · approval needed: ${approval.id}`)), 30_000);
    expect(announcement.content).toContain(`/approve ${approval.id}`);
    expect(announcement.content).not.toContain('/ui/approvals');
    expect(announcement.content).not.toContain('POST ');
  }, 150_000);

  it('an approval after its expiry is refused: the expiry is noted and audited, the late /approve note is answered, nothing runs', async () => {
    const incident = pd.state.incidents.find((i) => i.id === 'PNOTOK1')!;
    const approval = outcomes(agent.audit(), 'PNOTOK1').find((o) => o.outcome === 'awaiting_approval')!.approval!;
    // APPROVAL_TTL_SECONDS=60, so the daemon's expiry sweep runs every 6 s: this waits on the clock for about a minute.
    await agent.until('PNOTOK1', () => noteHeads(incident).includes(`oncall-agent · approval expired: ${approval.id}`), 200_000);
    expect(agent.audit().some((e) => e.type === 'approval.expired' && e.data.approvalId === approval.id)).toBe(true);
    await agent.annotate('PNOTOK1', `/approve ${approval.id}`);
    const refusal = await agent.until('PNOTOK1', () => incident.notes?.find((n) => n.content.startsWith(`oncall-agent · /approve ${approval.id} from ${FAKE_PD_HUMAN.name} refused`)), 30_000);
    expect(refusal.content).toContain(`approval ${approval.id} is already expired`);
    expect(refusal.content).toContain('Nothing was executed.');
    expect(agent.audit().filter((e) => e.type === 'execution' && e.incidentId === 'PNOTOK1')).toHaveLength(0);
    expect(await k().ok(['get', 'deployment', 'web', '-n', 'pnotok1', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:does-not-exist');
  }, 240_000);
});
