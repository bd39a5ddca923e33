// From the moment kubectl is handed the write to the action's end: run it, record the result in the ledger, verify,
// and roll back from the snapshot on a failed verification. A retry that resumes from the ledger enters half-way.
import type { KubectlResult } from '../domain/ports.js';
import type { ProposedAction } from '../domain/proposal.js';
import type { ObjectRef } from '../domain/audit.js';
import type { RiskAssessment } from '../domain/risk.js';
import type { LedgerSnapshot } from '../ledger/action-ledger.js';
import { redactText } from '../redaction/redact.js';
import type { RollbackResult } from '../verify/rollback.js';
import { auditStep, clipOutput, clipStdoutOf } from './audit-step.js';
import type { ActionOutcome, ExecuteDepsWith, ExecutionRecord } from './execute-deps.js';
import { summarizeSnapshot, type Snapshot } from './snapshot.js';
import { testHookAt } from './test-crash-hook.js';
import { rollBackAll, settleVerdict, verifyAction, type WriteScope } from './write-steps.js';

export type OutcomeBase = Pick<ActionOutcome, 'index' | 'command' | 'level' | 'reasons' | 'decision'>;

/** Runs the write; `refused` when the runner would not run it (nothing was written). */
export async function runWrite(
  deps: ExecuteDepsWith<'limits' | 'marks' | 'killSwitch' | 'breakers'>,
  scope: WriteScope,
  action: ProposedAction,
  assessment: RiskAssessment,
  snapshots: LedgerSnapshot[],
  ref: ObjectRef | undefined,
): Promise<{ execution: ExecutionRecord } | { refused: string }> {
  let result: KubectlResult;
  try {
    // No shutdown signal here: killing kubectl mid-request leaves it unknown whether the change landed. One write
    // is one API request, bounded by KUBECTL_TIMEOUT_MS; a retry finds its intent in the ledger.
    result = await deps.runner.run(deps.risk.argv(assessment));
  } catch (error) {
    const detail = `not executed: ${(error as Error).message}`;
    await auditStep(deps, 'execution.refused', scope.incidentId, { index: scope.index, command: action.command, reason: detail }, ref);
    return { refused: detail };
  }
  const execution: ExecutionRecord = {
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    timedOut: result.timedOut,
    truncated: result.truncated,
    stdout: clipStdoutOf(assessment, result.stdout),
    stderr: clipOutput(result.stderr),
  };
  const summaries = snapshots.map((s) => summarizeSnapshot(s as Snapshot));
  await auditStep(deps, 'execution', scope.incidentId, { index: scope.index, command: action.command, ...execution, snapshot: summaries[0], ...(summaries.length > 1 ? { snapshots: summaries } : {}) }, ref);
  // Without this record a retry still finds the intent and judges the write from the cluster (it landed).
  await deps.ledger
    .record(scope.ledgerKey, 'result', { exitCode: result.exitCode, timedOut: result.timedOut, durationMs: result.durationMs, at: deps.clock.now() })
    .catch((error: Error) => deps.logger.error({ err: error, key: scope.ledgerKey }, 'cannot record the write result in the action ledger; a retry will judge it from the cluster'));
  await testHookAt('after-write');
  return { execution };
}

/** Verdict for a write that ran (or that a retry found landed): verify, settle, roll back on failure. */
export async function finishWrite(
  deps: ExecuteDepsWith<'limits' | 'marks' | 'killSwitch' | 'breakers'>,
  scope: WriteScope,
  base: OutcomeBase,
  action: ProposedAction,
  snapshots: LedgerSnapshot[],
  ref: ObjectRef | undefined,
  execution?: ExecutionRecord,
  retry?: true,
): Promise<ActionOutcome> {
  if (execution && execution.exitCode !== 0) {
    await settleVerdict(deps, scope, 'failed', `kubectl exited ${execution.exitCode}`, `kubectl exited ${execution.exitCode}`);
    return { ...base, status: 'failed', execution, detail: `kubectl exited ${execution.exitCode}${execution.timedOut ? ' (timed out)' : ''}: ${execution.stderr.trim().slice(0, 300)}` };
  }
  const verdict = await verifyAction(deps, action, scope);
  deps.logger.info({ incidentId: scope.incidentId, index: scope.index, command: redactText(action.command), verdict: verdict.status }, redactText(`verification ${verdict.status}: ${verdict.detail}`));
  await auditStep(deps, 'verification', scope.incidentId, { index: scope.index, command: action.command, ...(retry ? { retry } : {}), status: verdict.status, detail: verdict.detail, observed: verdict.observed, elapsedMs: verdict.elapsedMs }, ref);
  deps.metrics?.verifications.inc({ status: verdict.status });
  await settleVerdict(deps, scope, verdict.status, verdict.detail, `${retry ? 'retry ' : ''}verification ${verdict.status}${verdict.status === 'failed' ? `: ${verdict.detail}` : ''}`);
  if (verdict.status === 'inconclusive') {
    // Done but unverified: neither success nor a reason to roll back (nothing was observed to fail, and a rollback
    // needs the same unreachable API server). The ledger keeps it so, for a later attempt to verify.
    const by = retry ? 'already executed by an earlier attempt; not repeated; ' : '';
    return { ...base, status: 'unverified', ...(execution ? { execution } : {}), verdict, detail: `${by}${verdict.detail}; not rolled back` };
  }
  const status = retry && verdict.status !== 'failed' ? 'already-done' : verdict.status;
  if (verdict.status !== 'failed') {
    const detail = retry ? `already executed by an earlier attempt; not repeated (verification: ${verdict.status})` : verdict.detail;
    return { ...base, status, ...(execution ? { execution } : {}), verdict, detail };
  }
  return rollBackFailed(deps, scope, base, snapshots, `verification failed: ${verdict.detail}`, execution, verdict);
}

/** A failed verdict: roll back from the snapshot (AUTO_ROLLBACK) and say how it ended. */
export async function rollBackFailed(
  deps: ExecuteDepsWith<'limits' | 'marks' | 'killSwitch' | 'breakers'>,
  scope: WriteScope,
  base: OutcomeBase,
  snapshots: LedgerSnapshot[],
  why: string,
  execution?: ExecutionRecord,
  verdict?: ActionOutcome['verdict'],
): Promise<ActionOutcome> {
  const cfg = deps.config;
  let rollback: RollbackResult | undefined;
  if (cfg.AUTO_ROLLBACK && snapshots.length) rollback = await rollBackAll(deps, scope, snapshots);
  return {
    ...base,
    status: rollback?.restored ? 'rolled-back' : 'failed',
    ...(execution ? { execution } : {}),
    ...(verdict ? { verdict } : {}),
    ...(rollback ? { rollback } : {}),
    detail: `${why}${rollback ? `; rollback: ${rollback.detail}` : cfg.AUTO_ROLLBACK ? '; no snapshot to roll back to' : '; AUTO_ROLLBACK=false'}`,
  };
}
