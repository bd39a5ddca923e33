// approvals.ts over the in-process store with the real JSONL audit sink: every step lands in the trail, with who.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlAuditSink } from '../../../backend/src/audit/jsonl-sink.js';
import { ApprovalRefusal } from '../../../backend/src/safety/approval-errors.js';
import { approvePlan, assertApprovedPlan, cancelApprovalsOfResolvedIncident, createPendingApproval, denyPlan, expireApprovals, resolvedIncidentApprovalKey } from '../../../backend/src/safety/approvals.js';
import { MemorySafetyStore } from '../../../backend/src/safety/memory-safety-store.js';
import { computePlanHash } from '../../../backend/src/safety/plan-hash.js';

const dir = mkdtempSync(join(tmpdir(), 'oncall-approvals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(name: string) {
  const path = join(dir, `${name}.jsonl`);
  let clock = 1_700_000_000_000;
  const deps = { store: new MemorySafetyStore(), audit: new JsonlAuditSink(path), now: () => clock };
  const trail = () => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; actor: string; incidentId?: string; data: Record<string, unknown> });
  return { deps, trail, advance: (ms: number) => (clock += ms) };
}

const commands = ['kubectl rollout undo deployment/web -n shop'];

describe('approvals', () => {
  it('request → approve, audited with who; the runner accepts exactly the approved commands', async () => {
    const { deps, trail } = setup('approve');
    const pending = await createPendingApproval(deps, { incidentId: 'INC1', commands, ttlMs: 60_000, payload: { note: 'password=hunter2' } });
    expect(pending.planHash).toBe(computePlanHash('INC1', commands));
    expect(JSON.stringify(pending.payload)).not.toContain('hunter2');
    expect(() => assertApprovedPlan(pending, 'INC1', commands)).toThrow(/pending, not approved/);

    const approved = await approvePlan(deps, pending.id, 'alice', pending.planHash);
    expect(() => assertApprovedPlan(approved, 'INC1', commands)).not.toThrow();
    expect(() => assertApprovedPlan(approved, 'INC1', [...commands, 'kubectl delete pod web-1 -n shop'])).toThrow(/differ from the approved plan/);
    expect(trail().map((e) => [e.type, e.actor])).toEqual([
      ['approval.requested', 'agent'],
      ['approval.granted', 'alice'],
    ]);
  });

  it('a changed plan hash is refused and the refusal is audited', async () => {
    const { deps, trail } = setup('changed');
    const pending = await createPendingApproval(deps, { incidentId: 'INC1', commands, ttlMs: 60_000 });
    const other = computePlanHash('INC1', ['kubectl delete deployment web -n shop']);
    await expect(approvePlan(deps, pending.id, 'mallory', other)).rejects.toMatchObject({ code: 'plan-changed' });
    expect(trail().at(-1)).toMatchObject({ type: 'error', incidentId: 'INC1', actor: 'mallory', data: { refused: 'plan-changed', approvalId: pending.id } });
    // An unknown id has no incident; the refusal is still audited.
    await expect(approvePlan(deps, 'apr-nope', 'mallory', other)).rejects.toMatchObject({ code: 'not-found' });
    expect(trail().at(-1)).toMatchObject({ type: 'error', actor: 'mallory', data: { refused: 'not-found', approvalId: 'apr-nope' } });
    expect(trail().at(-1)?.incidentId).toBeUndefined();
  });

  it('deny is audited with the reason; a denied plan cannot be approved', async () => {
    const { deps, trail } = setup('deny');
    const pending = await createPendingApproval(deps, { incidentId: 'INC3', commands, ttlMs: 60_000 });
    await denyPlan(deps, pending.id, 'bob', 'wrong fix');
    await expect(approvePlan(deps, pending.id, 'alice', pending.planHash)).rejects.toBeInstanceOf(ApprovalRefusal);
    expect(trail().at(-1)).toMatchObject({ type: 'error', incidentId: 'INC3', actor: 'alice', data: { refused: 'not-pending' } });
    expect(trail()).toContainEqual(expect.objectContaining({ type: 'approval.denied', actor: 'bob', incidentId: 'INC3', data: expect.objectContaining({ reason: 'wrong fix' }) }));
  });

  it('expiry is audited once, and an expired plan cannot be approved', async () => {
    const { deps, trail, advance } = setup('expire');
    const pending = await createPendingApproval(deps, { incidentId: 'INC4', commands, ttlMs: 60_000 });
    expect(await expireApprovals(deps)).toEqual([]);
    advance(60_000);
    expect((await expireApprovals(deps)).map((a) => a.id)).toEqual([pending.id]);
    expect(await expireApprovals(deps)).toEqual([]);
    await expect(approvePlan(deps, pending.id, 'alice', pending.planHash)).rejects.toMatchObject({ code: 'expired' });
    expect(trail().filter((e) => e.type === 'approval.expired')).toHaveLength(1);
  });

  it('a resolved incident cancels its pending plan (audited, never expired later) and marks its approved one; other incidents keep theirs', async () => {
    const { deps, trail, advance } = setup('resolved');
    const pending = await createPendingApproval(deps, { incidentId: 'INC5', commands, ttlMs: 60_000 });
    const approved = await createPendingApproval(deps, { incidentId: 'INC5', commands: ['kubectl rollout restart deployment/api -n shop'], ttlMs: 60_000 });
    await approvePlan(deps, approved.id, 'alice', approved.planHash);
    const other = await createPendingApproval(deps, { incidentId: 'INC6', commands, ttlMs: 60_000 });

    expect((await cancelApprovalsOfResolvedIncident(deps, 'INC5')).sort()).toEqual([pending.id, approved.id].sort());
    expect((await deps.store.getApproval(pending.id, deps.now()))?.status).toBe('cancelled');
    expect((await deps.store.getApproval(approved.id, deps.now()))?.status).toBe('approved');
    expect(await deps.store.isMarked(resolvedIncidentApprovalKey(approved.id))).toBe(true);
    expect((await deps.store.listApprovals(deps.now(), 'pending')).map((a) => a.id)).toEqual([other.id]);
    expect(trail().filter((e) => e.type === 'approval.cancelled')).toEqual([
      expect.objectContaining({ incidentId: 'INC5', actor: 'PagerDuty (incident resolved)', data: expect.objectContaining({ approvalId: pending.id, status: 'cancelled' }) }),
    ]);
    await expect(approvePlan(deps, pending.id, 'bob', pending.planHash)).rejects.toMatchObject({ code: 'not-pending' });
    // A second resolve delivery cancels nothing again.
    await cancelApprovalsOfResolvedIncident(deps, 'INC5');
    expect(trail().filter((e) => e.type === 'approval.cancelled')).toHaveLength(1);
    advance(120_000);
    expect((await expireApprovals(deps)).map((a) => a.id)).toEqual([other.id]);
  });
});
