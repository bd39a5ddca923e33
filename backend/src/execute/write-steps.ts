// The steps after a write, shared by a first attempt and by a retry that resumes from the ledger: verify, roll back
// from the (persisted) snapshot, and report the action's final verdict to the breaker exactly once.
import type { ProposedAction } from '../domain/proposal.js';
import type { LedgerSnapshot } from '../ledger/action-ledger.js';
import { breakerPolicyFromConfig } from '../safety/breaker-policy.js';
import type { BreakerTransition } from '../safety/safety-store.js';
import { readEffectiveKillSwitch } from '../safety/kill-switch.js';
import { rollbackToSnapshot, type RollbackResult } from '../verify/rollback.js';
import { redactText } from '../redaction/redact.js';
import { verifyPostconditions } from '../verify/verify-postconditions.js';
import { auditStep, clipOutput } from './audit-step.js';
import type { ExecuteCore, ExecuteDepsWith } from './execute-deps.js';
import { testHookAt } from './test-crash-hook.js';

export interface WriteScope {
  incidentId: string;
  index: number;
  ledgerKey: string;
  breakerScope: string;
}

export async function verifyAction(deps: ExecuteCore, action: ProposedAction, scope: Pick<WriteScope, 'incidentId' | 'index'>) {
  await testHookAt('during-verification');
  const cfg = deps.config;
  // A verification window is the longest quiet wait of a run: say how far along it is.
  const progress = (message: string) => deps.logger.info({ incidentId: scope.incidentId, index: scope.index }, redactText(`verifying: ${message}`));
  return verifyPostconditions(action.postconditions, { ...deps, progress }, {
    deadlineMs: cfg.VERIFY_DEADLINE_SECONDS * 1_000,
    pollMs: cfg.VERIFY_POLL_MS,
    crashLoopWindowMs: cfg.NO_CRASHLOOP_WINDOW_SECONDS * 1_000,
  });
}

/**
 * Records the verdict in the ledger and reports a final one to the breaker, once per action whatever the retries.
 * An inconclusive verdict is not final (a later attempt verifies again) and says nothing about the action: not counted.
 */
export async function settleVerdict(deps: ExecuteDepsWith<'breakers'>, scope: WriteScope, status: 'verified' | 'unverifiable' | 'failed' | 'inconclusive', detail: string, why: string): Promise<void> {
  await deps.ledger.record(scope.ledgerKey, 'verdict', { status, detail, at: deps.clock.now() }).catch((error: Error) => deps.logger.error({ err: error, key: scope.ledgerKey }, 'cannot record the verdict in the action ledger'));
  if (status === 'inconclusive') return;
  const first = await deps.ledger.claimBreakerCount(scope.ledgerKey).catch((error: Error) => {
    // Without the ledger the breaker still hears about the action: counting it twice is safer than not at all.
    deps.logger.error({ err: error, key: scope.ledgerKey }, 'cannot read the action ledger; reporting the verdict to the breaker anyway');
    return true;
  });
  if (first) await recordBreakerOutcome(deps, scope.incidentId, scope.breakerScope, status !== 'failed', why);
}

/** Each snapshot restored in turn; restored only when every object is back. Recorded in the ledger. */
export async function rollBackAll(deps: ExecuteDepsWith<'killSwitch'>, scope: WriteScope, snapshots: LedgerSnapshot[]): Promise<RollbackResult> {
  const results: RollbackResult[] = [];
  for (const snapshot of snapshots) results.push(await rollBack(deps, scope, snapshot));
  const result: RollbackResult =
    results.length === 1
      ? results[0]
      : {
          attempted: results.some((r) => r.attempted),
          restored: results.every((r) => r.restored),
          detail: results.map((r, i) => `${snapshots[i].target.resource}/${snapshots[i].target.name}: ${r.detail}`).join('; '),
          steps: results.flatMap((r) => r.steps),
        };
  await deps.ledger
    .record(scope.ledgerKey, 'rollback', { attempted: result.attempted, restored: result.restored, detail: result.detail, at: deps.clock.now() })
    .catch((error: Error) => deps.logger.error({ err: error, key: scope.ledgerKey }, 'cannot record the rollback in the action ledger'));
  return result;
}

async function rollBack(deps: ExecuteDepsWith<'killSwitch'>, scope: WriteScope, snapshot: LedgerSnapshot): Promise<RollbackResult> {
  const cfg = deps.config;
  const { incidentId, index } = scope;
  // "No writes at all" includes the rollback: a human who paused the agent decides what to restore.
  const killSwitch = await readEffectiveKillSwitch(deps.killSwitch, cfg.KILL_SWITCH);
  if (killSwitch.paused) {
    const skipped: RollbackResult = { attempted: false, restored: false, detail: 'the kill switch is on: rollback not attempted', steps: [] };
    await auditStep(deps, 'rollback', incidentId, { index, attempted: false, restored: false, detail: skipped.detail }, snapshot.target.ref);
    return skipped;
  }
  const result = await rollbackToSnapshot(
    { ...snapshot.target, absentBefore: snapshot.absent },
    snapshot.object,
    {
      runner: deps.runner,
      clock: deps.clock,
      signal: deps.signal,
      assess: (line) => deps.risk.assess(line),
      argv: (a) => deps.risk.argv(a),
      onStep: async (step) => {
        await auditStep(deps, 'rollback', incidentId, { index, ...step, stderr: step.stderr ? clipOutput(step.stderr) : undefined }, snapshot.target.ref);
        await testHookAt('during-rollback');
      },
    },
    { deadlineMs: cfg.VERIFY_DEADLINE_SECONDS * 1_000, pollMs: cfg.VERIFY_POLL_MS },
  );
  await auditStep(deps, 'rollback', incidentId, { index, attempted: result.attempted, restored: result.restored, detail: result.detail }, snapshot.target.ref);
  if (result.restored) {
    deps.logger.warn({ incidentId, index, restored: true }, `rollback: ${result.detail}`);
    return result;
  }
  // The object is in neither the state the fix wanted nor the one before it: the loudest thing we log.
  deps.logger.error({ incidentId, index, restored: false, target: snapshot.target.ref }, `ROLLBACK FAILED, ${snapshot.target.resource}/${snapshot.target.name} is not back to its snapshot: ${result.detail}`);
  return { ...result, detail: `FAILED, the object is not back to its snapshot: ${result.detail}` };
}

/** Reports to the breaker and audits any transition. A breaker store failure must not hide the outcome. */
export async function recordBreakerOutcome(deps: ExecuteDepsWith<'breakers'>, incidentId: string, scope: string, success: boolean, why: string): Promise<void> {
  try {
    const transition = await deps.breakers.recordBreakerOutcome(scope, success, breakerPolicyFromConfig(deps.config), deps.clock.now());
    if (transition) await reportBreakerTransition(deps, incidentId, transition, why);
  } catch (error) {
    deps.logger.error({ err: error, scope }, 'cannot record the breaker outcome');
  }
}

/** Logs, meters and audits one breaker transition. */
export async function reportBreakerTransition(deps: ExecuteCore, incidentId: string, transition: BreakerTransition, why: string): Promise<void> {
  deps.logger.warn({ ...transition, incidentId }, `circuit breaker ${transition.from} → ${transition.to}: ${transition.reason}`);
  deps.metrics?.breakerOpen.set({ scope: transition.scope }, transition.to === 'open' ? 1 : 0);
  await auditStep(deps, 'breaker.transition', incidentId, { ...transition, trigger: why });
}
