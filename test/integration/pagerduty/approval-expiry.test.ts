import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_TOKEN, deploymentImage, startApprovalDaemon, type ApprovalDaemon } from '../../helpers/approval-daemon.js';
import { eventually } from '../../helpers/kubectl.js';
import { FAKE_PD_AGENT, FAKE_PD_TOKEN, startFakePagerDuty, type FakePagerDutyServer, type FakePdIncident } from '../../fakes/fake-pagerduty-server.js';

// Expiry end to end through the real daemon (approval mode, Redis, kube-sim, the fake PagerDuty): a plan nobody decides
// expires, the daemon's sweep audits it and notes it on the incident once, and an approve that comes after is refused
// with nothing executed. APPROVAL_TTL_SECONDS=15 (the sweep then runs every 1.5 s) keeps the wait short without
// touching any clock.

const TTL_SECONDS = 15;
let pd: FakePagerDutyServer;
let daemon: ApprovalDaemon;

beforeAll(async () => {
  pd = await startFakePagerDuty();
  daemon = await startApprovalDaemon({
    APPROVAL_TTL_SECONDS: String(TTL_SECONDS),
    PAGERDUTY_API_TOKEN: FAKE_PD_TOKEN,
    PAGERDUTY_FROM_EMAIL: FAKE_PD_AGENT.email,
    PAGERDUTY_API_URL: pd.url,
    PAGERDUTY_WRITEBACK_BACKOFF_MS: '100',
    PAGERDUTY_WRITEBACK_GIVE_UP_SECONDS: '20',
  });
}, 60_000);
afterAll(async () => {
  await Promise.allSettled([daemon?.stop(), pd?.close()]);
});

const noteHeads = (incident: FakePdIncident) => (incident.notes ?? []).map((n) => n.content.split('\n')[0]);

describe('an approval nobody decides', () => {
  it('expires: one approval.expired record, one note on the incident, and an approve after it is refused with nothing executed', async () => {
    const incident: FakePdIncident = { id: 'PEXP1', title: 'CrashLoopBackOff: deployment/web in namespace pexp1', status: 'triggered', service: { id: 'PF9KMXH' } };
    pd.state.incidents.push(incident);
    const approval = await daemon.pendingApprovalFor('PEXP1');
    expect(approval.commands).toEqual(['kubectl rollout undo deployment/web -n pexp1']);
    // The announcement names the expiry; then nobody answers.
    await eventually(() => noteHeads(incident).find((h) => h.includes('awaiting approval') || h.includes(approval.id)), 20_000, 200);

    const expired = await eventually(() => daemon.audit().find((e) => e.type === 'approval.expired' && e.incidentId === 'PEXP1'), (TTL_SECONDS + 30) * 1_000, 250);
    expect(expired).toMatchObject({ actor: 'agent', data: { approvalId: approval.id, status: 'expired' } });
    await eventually(() => noteHeads(incident).includes(`oncall-agent · approval expired: ${approval.id}`), 20_000, 200);
    const list = (await (await fetch(`${daemon.url}/approvals`, { headers: { authorization: `Bearer ${APPROVAL_TOKEN}` } })).json()) as Array<{ id: string }>;
    expect(list.map((a) => a.id)).not.toContain(approval.id);

    const late = await fetch(`${daemon.url}/approvals/${approval.id}/approve`, {
      method: 'POST',
      body: JSON.stringify({ approver: 'alice' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${APPROVAL_TOKEN}` },
    });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ status: 'refused', message: expect.stringMatching(/has expired/) });
    expect(await deploymentImage(daemon.kubectl, 'pexp1')).toBe('nginx:does-not-exist');
    const trail = daemon.audit().filter((e) => e.incidentId === 'PEXP1');
    expect(trail.filter((e) => e.type === 'approval.granted' || e.type === 'execution')).toEqual([]);

    // Several more sweeps (one every 1.5 s) later, still one record and one note.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(daemon.audit().filter((e) => e.type === 'approval.expired' && e.incidentId === 'PEXP1')).toHaveLength(1);
    expect(noteHeads(incident).filter((h) => h.startsWith('oncall-agent · approval expired'))).toHaveLength(1);
  }, 180_000);
});
