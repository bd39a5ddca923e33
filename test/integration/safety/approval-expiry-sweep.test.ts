// The daemon's expiry sweep over the in-process store and the real JSONL audit sink.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { approvalSweepIntervalMs, sweepExpiredApprovals } from '../../../backend/src/app/approval-expiry-sweep.js';
import { JsonlAuditSink } from '../../../backend/src/audit/jsonl-sink.js';
import { cancelApprovalsOfResolvedIncident, createPendingApproval, expireApprovals } from '../../../backend/src/safety/approvals.js';
import { MemorySafetyStore } from '../../../backend/src/safety/memory-safety-store.js';
import type { PendingApproval } from '../../../backend/src/safety/safety-store.js';

const dir = mkdtempSync(join(tmpdir(), 'oncall-expiry-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const commands = ['kubectl rollout undo deployment/web -n shop'];

function setup(name: string) {
  const path = join(dir, `${name}.jsonl`);
  let clock = 1_700_000_000_000;
  const noted: PendingApproval[] = [];
  const deps = { store: new MemorySafetyStore(), audit: new JsonlAuditSink(path), now: () => clock, noteExpired: async (a: PendingApproval) => void noted.push(a) };
  const trail = () => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; incidentId?: string });
  return { deps, trail, noted, advance: (ms: number) => (clock += ms) };
}

describe('approval expiry sweep', () => {
  it('runs every tenth of the TTL, between a second and a minute', () => {
    expect(approvalSweepIntervalMs(900)).toBe(60_000);
    expect(approvalSweepIntervalMs(300)).toBe(30_000);
    expect(approvalSweepIntervalMs(10)).toBe(1_000);
    expect(approvalSweepIntervalMs(7 * 86_400)).toBe(60_000);
  });

  it('audits and notes an expired approval once, however often it runs; pending and cancelled ones are left alone', async () => {
    const { deps, trail, noted, advance } = setup('once');
    const expiring = await createPendingApproval(deps, { incidentId: 'INC1', commands, ttlMs: 10_000 });
    await createPendingApproval(deps, { incidentId: 'INC2', commands, ttlMs: 60_000 });
    await createPendingApproval(deps, { incidentId: 'INC3', commands, ttlMs: 10_000 });
    await cancelApprovalsOfResolvedIncident(deps, 'INC3');
    expect(await sweepExpiredApprovals(deps)).toEqual([]);
    advance(10_000);
    expect((await sweepExpiredApprovals(deps)).map((a) => a.id)).toEqual([expiring.id]);
    expect(await sweepExpiredApprovals(deps)).toEqual([]);
    expect(noted.map((a) => a.id)).toEqual([expiring.id]);
    expect(trail().filter((e) => e.type === 'approval.expired').map((e) => e.incidentId)).toEqual(['INC1']);
  });

  it('still notes an expiry the CLI audited first, but not one that expired over an hour ago', async () => {
    const { deps, trail, noted, advance } = setup('cli-first');
    const old = await createPendingApproval(deps, { incidentId: 'INC4', commands, ttlMs: 10_000 });
    advance(2 * 3_600_000);
    const recent = await createPendingApproval(deps, { incidentId: 'INC5', commands, ttlMs: 10_000 });
    advance(10_000);
    // `oncall-agent approvals` runs expireApprovals (audit only) before the daemon's sweep.
    expect((await expireApprovals(deps)).map((a) => a.id)).toEqual([old.id, recent.id]);
    expect((await sweepExpiredApprovals(deps)).map((a) => a.id)).toEqual([recent.id]);
    expect(noted.map((a) => a.id)).toEqual([recent.id]);
    expect(trail().filter((e) => e.type === 'approval.expired')).toHaveLength(2);
  });
});
