import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { ACTIONS_SECRET_HEADER } from '../../../backend/src/http/approvals-router.js';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';
import { spawnAgent, type ServeProcess } from '../../helpers/spawn-serve.js';

// Approval channels over HTTP through the real daemon on kube-sim: the approvals API (channel 3) and the PagerDuty
// workflow actions endpoint (channel 2). Both queue the same decision the worker runs.

const SECRET = 'whsec-approval-http';
const TOKEN = 'approval-token-0123456789abcdef';
const ACTIONS = 'actions-secret-0123456789abcdef';
let redis: TestRedis;
let sim: RunningSim;
let dir: string;
let agent: ServeProcess;
let url: string;
const auditPath = () => join(dir, 'state', 'audit.jsonl');
const audit = () => (existsSync(auditPath()) ? readFileSync(auditPath(), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; incidentId?: string; actor: string; data: Record<string, unknown> }) : []);

beforeAll(async () => {
  [redis, sim] = await Promise.all([startTestRedis(), startSim({ speed: 20 })]);
  dir = mkdtempSync(join(tmpdir(), 'oncall-approval-http-'));
  agent = spawnAgent(['serve'], {
    DOTENV_PATH: join(dir, 'no.env'),
    REDIS_URL: redis.url,
    HOST: '127.0.0.1',
    PORT: '0',
    PAGERDUTY_WEBHOOK_SECRETS: SECRET,
    STATE_DIR: join(dir, 'state'),
    AUDIT_JSONL_PATH: auditPath(),
    KUBECONFIG: sim.kubeconfigPath,
    EXECUTION_MODE: 'approval',
    K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
    NO_CRASHLOOP_WINDOW_SECONDS: '2',
    VERIFY_POLL_MS: '200',
    APPROVAL_TOKEN: TOKEN,
    PAGERDUTY_ACTIONS_SECRET: ACTIONS,
  }, dir);
  const line = await agent.waitForLine((l) => typeof l.msg === 'string' && l.msg.startsWith('listening on'), 'the listening line');
  url = `http://127.0.0.1:${line.port}`;
}, 60_000);
afterAll(async () => {
  if (agent?.child.exitCode === null) agent.child.kill('SIGKILL');
  await Promise.allSettled([redis?.close(), sim?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function brokenWebWithPendingApproval(incidentId: string): Promise<{ kubectl: (...a: string[]) => Promise<string>; approval: { id: string; planHash: string; commands: string[] } }> {
  const ns = incidentId.toLowerCase();
  const k = kubectlFor(sim.kubeconfigPath);
  const kubectl = (...args: string[]) => k.ok(args);
  await kubectl('create', 'namespace', ns);
  await kubectl('create', 'deployment', 'web', '-n', ns, '--image=nginx:1.27', '--replicas=2');
  await kubectl('rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s');
  await kubectl('set', 'image', 'deployment/web', '-n', ns, 'nginx=nginx:does-not-exist');
  await eventually(async () => /ErrImagePull|ImagePullBackOff/.test(await kubectl('get', 'pods', '-n', ns)), 30_000);
  const payload = loadFixture('incident.triggered');
  payload.event.id = `trigger-${incidentId}`;
  Object.assign(payload.event.data, { id: incidentId, title: `CrashLoopBackOff: deployment/web in namespace ${ns}` });
  const delivery = signDelivery(payload, [SECRET], payload.event.id);
  expect((await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers })).status).toBe(202);
  const approval = await eventually(async () => {
    const list = (await (await fetch(`${url}/approvals`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Array<{ id: string; incidentId: string; planHash: string; commands: string[] }>;
    return list.find((a) => a.incidentId === incidentId);
  }, 60_000, 200);
  return { kubectl, approval };
}

const image = (kubectl: (...a: string[]) => Promise<string>, ns: string) => kubectl('get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
const post = (path: string, body: unknown, headers: Record<string, string>) => fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

describe('approvals HTTP API (channel 3)', () => {
  it('lists pending approvals only with the token; approve runs the plan in the worker; a second approve runs nothing and says so', async () => {
    expect((await fetch(`${url}/approvals`)).status).toBe(401);
    expect((await fetch(`${url}/approvals`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const { kubectl, approval } = await brokenWebWithPendingApproval('PHTTP1');
    expect(approval.commands).toEqual(['kubectl rollout undo deployment/web -n phttp1']);
    expect(approval.planHash).toMatch(/^[0-9a-f]{64}$/);
    const auth = { authorization: `Bearer ${TOKEN}` };

    expect((await post(`/approvals/${approval.id}/approve`, { comment: 'no approver' }, auth)).status).toBe(400);
    expect((await post(`/approvals/${approval.id}/approve`, { approver: 'alice' }, {})).status).toBe(401);
    expect((await post('/approvals/apr-nope/approve', { approver: 'alice' }, auth)).status).toBe(404);

    const res = await post(`/approvals/${approval.id}/approve`, { approver: 'alice', comment: 'checked the rollout history' }, auth);
    expect(res.status).toBe(200);
    const result = (await res.json()) as { status: string; by: string; outcome: { outcome: string; run: string } };
    expect(result).toMatchObject({ status: 'ran', by: 'alice (http)', outcome: { outcome: 'fixed', run: 'approval' } });
    expect(await image(kubectl, 'phttp1')).toBe('nginx:1.27');
    expect(audit().find((e) => e.type === 'approval.granted' && e.incidentId === 'PHTTP1')?.actor).toBe('alice (http)');

    const again = await post(`/approvals/${approval.id}/approve`, { approver: 'bob' }, auth);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toMatch(/already/);
    expect(audit().filter((e) => e.type === 'execution' && e.incidentId === 'PHTTP1')).toHaveLength(1);
  }, 150_000);
});

describe('PagerDuty workflow actions endpoint (channel 2)', () => {
  it('refuses a wrong secret, then denies the pending plan of the incident it names: nothing runs', async () => {
    const { kubectl, approval } = await brokenWebWithPendingApproval('PACT1');
    expect((await post('/webhooks/pagerduty/actions', { incident_id: 'PACT1', decision: 'deny' }, { [ACTIONS_SECRET_HEADER]: 'wrong-secret-0123456789' })).status).toBe(401);
    expect((await post('/webhooks/pagerduty/actions', { incident_id: 'PACT1', decision: 'maybe' }, { [ACTIONS_SECRET_HEADER]: ACTIONS })).status).toBe(400);
    expect((await post('/webhooks/pagerduty/actions', { incident_id: 'PNONE', decision: 'approve' }, { [ACTIONS_SECRET_HEADER]: ACTIONS })).status).toBe(404);
    const res = await post('/webhooks/pagerduty/actions', { incident_id: 'PACT1', decision: 'deny', approver: 'Alice via workflow' }, { [ACTIONS_SECRET_HEADER]: ACTIONS });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ approvalId: approval.id, status: 'denied', by: 'Alice via workflow (pagerduty action)' });
    expect(audit().some((e) => e.type === 'approval.denied' && e.incidentId === 'PACT1')).toBe(true);
    expect(await image(kubectl, 'pact1')).toBe('nginx:does-not-exist');
    // Denied: nothing is pending for the incident any more; an approve says which decision stands, and runs nothing.
    const late = await post('/webhooks/pagerduty/actions', { incident_id: 'PACT1', decision: 'approve' }, { [ACTIONS_SECRET_HEADER]: ACTIONS });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ approvalId: approval.id, status: 'refused', message: expect.stringMatching(/is denied, not pending/) });
    expect(await image(kubectl, 'pact1')).toBe('nginx:does-not-exist');
  }, 150_000);

  it('approves the pending plan of the incident it names: the worker runs it; a second approve runs nothing and says it already ran', async () => {
    const { kubectl, approval } = await brokenWebWithPendingApproval('PACT2');
    const headers = { [ACTIONS_SECRET_HEADER]: ACTIONS };
    const res = await post('/webhooks/pagerduty/actions', { incident_id: 'PACT2', decision: 'approve', approver: 'Bob via workflow' }, headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ approvalId: approval.id, status: 'ran', by: 'Bob via workflow (pagerduty action)', outcome: { outcome: 'fixed', run: 'approval' } });
    expect(await image(kubectl, 'pact2')).toBe('nginx:1.27');
    expect(audit().find((e) => e.type === 'approval.granted' && e.incidentId === 'PACT2')?.actor).toBe('Bob via workflow (pagerduty action)');

    // The workflow run again (a double tap on the phone): the same answer as a second approve over the API.
    const again = await post('/webhooks/pagerduty/actions', { incident_id: 'PACT2', decision: 'approve' }, headers);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ approvalId: approval.id, status: 'refused', message: expect.stringMatching(/already executed/) });
    expect(audit().filter((e) => e.type === 'execution' && e.incidentId === 'PACT2')).toHaveLength(1);
  }, 150_000);
});

describe('incident.resolved in PagerDuty', () => {
  it('cancels the incident\'s pending approval: it leaves GET /approvals, every approve is refused naming why, nothing runs', async () => {
    const { kubectl, approval } = await brokenWebWithPendingApproval('PRES1');
    const auth = { authorization: `Bearer ${TOKEN}` };
    const resolved = loadFixture('incident.resolved');
    Object.assign(resolved.event.data, { id: 'PRES1' });
    const delivery = signDelivery(resolved, [SECRET], resolved.event.id);
    expect((await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers })).status).toBe(202);

    await eventually(async () => audit().some((e) => e.type === 'approval.cancelled' && e.incidentId === 'PRES1'), 30_000, 200);
    const cancelled = audit().find((e) => e.type === 'approval.cancelled' && e.incidentId === 'PRES1');
    expect(cancelled).toMatchObject({ actor: 'PagerDuty (incident resolved)', data: { approvalId: approval.id, status: 'cancelled' } });
    const list = (await (await fetch(`${url}/approvals`, { headers: auth })).json()) as Array<{ id: string }>;
    expect(list.map((a) => a.id)).not.toContain(approval.id);

    const res = await post(`/approvals/${approval.id}/approve`, { approver: 'alice' }, auth);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ status: 'refused', message: expect.stringMatching(/cancelled \(its incident was resolved in PagerDuty\)/) });
    const action = await post('/webhooks/pagerduty/actions', { incident_id: 'PRES1', decision: 'approve' }, { [ACTIONS_SECRET_HEADER]: ACTIONS });
    expect(action.status).toBe(409);
    expect(await image(kubectl, 'pres1')).toBe('nginx:does-not-exist');
    expect(audit().filter((e) => e.type === 'approval.granted' && e.incidentId === 'PRES1')).toEqual([]);
    expect(audit().filter((e) => e.type === 'execution' && e.incidentId === 'PRES1')).toEqual([]);
  }, 150_000);
});
