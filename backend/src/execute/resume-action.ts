// A retry (the queue's, a stalled-job recovery, or a second worker) reaching an action the ledger already holds.
// It never runs the write blindly: it decides from the ledger's last stage and, when only the intent is there,
// from the cluster compared with the persisted snapshot. The breaker is not told twice (settleVerdict claims it).
import type { ObjectRef } from '../domain/audit.js';
import type { ProposedAction } from '../domain/proposal.js';
import type { RiskAssessment } from '../domain/risk.js';
import type { LedgerEntry, LedgerSnapshot } from '../ledger/action-ledger.js';
import { readEffectiveKillSwitch } from '../safety/kill-switch.js';
import { auditStep } from './audit-step.js';
import type { ActionOutcome, ExecuteDepsWith } from './execute-deps.js';
import { finishWrite, rollBackFailed, runWrite, type OutcomeBase } from './finish-write.js';
import { judgeAllLanded, judgeLanded, type CurrentRead } from './judge-landed.js';
import { takeSnapshot } from './snapshot.js';
import { settleVerdict, type WriteScope } from './write-steps.js';

export interface ResumeInput {
  scope: WriteScope;
  base: OutcomeBase;
  action: ProposedAction;
  assessment: RiskAssessment;
  entry: LedgerEntry;
  ref?: ObjectRef;
  /** Called when the write is known to have touched its targets (they cool down after the run). */
  touched(): Promise<void>;
  owner: string;
}

export async function resumeAction(deps: ExecuteDepsWith<'limits' | 'marks' | 'killSwitch' | 'breakers'>, r: ResumeInput): Promise<ActionOutcome> {
  const { entry, scope, base, action, ref } = r;
  const snapshots = entry.intent.snapshots;
  const earlier = `an earlier attempt (${entry.intent.owner}, intent recorded ${new Date(entry.intent.at).toISOString()})`;
  const resumed = (next: string, found: string) =>
    auditStep(deps, 'execution.resumed', scope.incidentId, { index: scope.index, command: action.command, found, next, earlierOwner: entry.intent.owner, intentAt: new Date(entry.intent.at).toISOString() }, ref);

  if (entry.rollback) {
    await resumed('nothing: the action already ended', `${earlier} verified, failed and rolled back: ${entry.rollback.detail}`);
    return {
      ...base,
      status: entry.rollback.restored ? 'rolled-back' : 'failed',
      rollback: { attempted: entry.rollback.attempted, restored: entry.rollback.restored, detail: entry.rollback.detail, steps: [] },
      detail: `already executed, verified (failed) and rolled back by ${earlier}; not repeated: ${entry.rollback.detail}`,
    };
  }
  await r.touched();
  if (entry.verdict?.status === 'failed') {
    if (entry.result && entry.result.exitCode !== null && entry.result.exitCode !== 0) {
      await resumed('escalate', `${earlier}: kubectl exited ${entry.result.exitCode}`);
      return { ...base, status: 'failed', detail: `already executed by ${earlier}: kubectl exited ${entry.result.exitCode}; not repeated` };
    }
    await resumed('roll back from the persisted snapshot', `${earlier}'s verification failed and it stopped before the rollback ended: ${entry.verdict.detail}`);
    return rollBackFailed(deps, scope, base, snapshots, `verification failed (${earlier}): ${entry.verdict.detail}`, undefined, { status: 'failed', detail: entry.verdict.detail });
  }
  if (entry.verdict || entry.result) {
    if (entry.result && entry.result.exitCode !== null && entry.result.exitCode !== 0) {
      await resumed('escalate', `${earlier}: kubectl exited ${entry.result.exitCode}`);
      await settleVerdict(deps, scope, 'failed', `kubectl exited ${entry.result.exitCode}`, `kubectl exited ${entry.result.exitCode}`);
      return { ...base, status: 'failed', detail: `already executed by ${earlier}: kubectl exited ${entry.result.exitCode}; not repeated` };
    }
    const found =
      entry.verdict?.status === 'inconclusive'
        ? `${earlier}'s write is done but unverified: ${entry.verdict.detail}`
        : entry.verdict
          ? `${earlier}'s write verified ${entry.verdict.status}`
          : `${earlier}'s write returned exit ${entry.result?.exitCode ?? '?'} and it stopped before a verdict`;
    await resumed('verify (not repeated); roll back from the persisted snapshot if it fails', found);
    return finishWrite(deps, scope, base, action, snapshots, ref, undefined, true);
  }

  // Only the intent: the attempt died between recording it and hearing kubectl's answer. Ask the cluster.
  const landing = judgeAllLanded(await Promise.all(snapshots.map(async (s) => judgeLanded(s, await readNow(deps, s)))));
  if (landing.kind === 'landed') {
    await deps.ledger
      .record(scope.ledgerKey, 'result', { exitCode: null, inferred: landing.why, at: deps.clock.now() })
      .catch((error: Error) => deps.logger.error({ err: error, key: scope.ledgerKey }, 'cannot record the inferred result in the action ledger'));
    await resumed('verify (not repeated); roll back from the persisted snapshot if it fails', `${earlier} stopped before kubectl answered; the write landed: ${landing.why}`);
    return finishWrite(deps, scope, base, action, snapshots, ref, undefined, true);
  }
  if (landing.kind === 'not-landed') {
    const claimed = await deps.ledger.claimRerun(scope.ledgerKey, { owner: r.owner, why: landing.why, at: deps.clock.now() }).catch(() => false);
    if (claimed) {
      const killSwitch = await readEffectiveKillSwitch(deps.killSwitch, deps.config.KILL_SWITCH);
      if (killSwitch.paused) {
        await auditStep(deps, 'execution.refused', scope.incidentId, { index: scope.index, command: action.command, blocked: 'the kill switch is on' }, ref);
        return { ...base, status: 'blocked', detail: `the kill switch was turned on before the write (${killSwitch.source}): nothing executed` };
      }
      await resumed('run the write once', `${earlier} stopped before kubectl answered; the write did not land: ${landing.why}`);
      const ran = await runWrite(deps, scope, action, r.assessment, snapshots, ref);
      if ('refused' in ran) return { ...base, status: 'refused', detail: ran.refused };
      return finishWrite(deps, scope, base, action, snapshots, ref, ran.execution);
    }
    const unknown = `${earlier} stopped before kubectl answered and another attempt already claimed the single re-run; whether that re-run is still in flight is unknown (${landing.why})`;
    await resumed('escalate', unknown);
    return { ...base, status: 'failed', detail: `not executed again: ${unknown}` };
  }
  await resumed('escalate', `${earlier} stopped before kubectl answered; ${landing.why}`);
  return { ...base, status: 'failed', detail: `not executed again: unknown whether the write by ${earlier} landed: ${landing.why}` };
}

async function readNow(deps: ExecuteDepsWith<'limits' | 'marks' | 'killSwitch' | 'breakers'>, snapshot: LedgerSnapshot): Promise<CurrentRead> {
  try {
    const now = await takeSnapshot(deps.runner, snapshot.target, deps.clock.now(), deps.signal);
    if (now.absent) return { absent: true };
    if (!now.object) return { error: 'the object is never read (it holds credentials)' };
    return { object: now.object };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
