// One write, with every guard around it: target lock, cooldown, per-incident cap, cluster rate limit, idempotency,
// snapshot, execution, verification, rollback and the breaker outcome. Each step is audited.
import { redactText } from '../redaction/redact.js';
import { createHash } from 'node:crypto';
import type { Decision } from '../domain/decision.js';
import type { KubectlResult } from '../domain/ports.js';
import type { ProposedAction } from '../domain/proposal.js';
import type { RiskAssessment } from '../domain/risk.js';
import { breakerPolicyFromConfig } from '../safety/breaker-policy.js';
import type { BreakerTransition } from '../safety/safety-store.js';
import { readEffectiveKillSwitch } from '../safety/kill-switch.js';
import { rollbackToSnapshot, type RollbackResult } from '../verify/rollback.js';
import { verifyPostconditions } from '../verify/verify-postconditions.js';
import { auditStep, clipOutput, clipStdoutOf } from './audit-step.js';
import type { ActionOutcome, ExecuteDeps, ExecutionRecord } from './execute-deps.js';
import { takeSnapshot, summarizeSnapshot, type Snapshot } from './snapshot.js';
import { namedTargetsOf, targetKey, targetOf } from './target-of.js';

/** State shared by the actions of one incident's run. */
export interface RunContext {
  incidentId: string;
  /** Targets this run already wrote to: the cooldown applies between incidents, not between one incident's steps. */
  touchedTargets: Set<string>;
}

export interface GuardedWriteInput {
  index: number;
  action: ProposedAction;
  assessment: RiskAssessment;
  decision: Decision;
  /** The breaker this action reports to (per cluster or per namespace). */
  breakerScope: string;
}

/** Marked once an attempt of this incident has run a write (whatever its outcome). */
export const incidentWroteKey = (incidentId: string): string => `incident-wrote:${incidentId}`;

/** Runs one decided-execute action; the outcome says whether the run may go on (verified / unverifiable). */
export async function guardedWrite(deps: ExecuteDeps, ctx: RunContext, input: GuardedWriteInput): Promise<ActionOutcome> {
  const { index, action, assessment, decision } = input;
  const cfg = deps.config;
  const base = { index, command: action.command, level: assessment.level, reasons: assessment.reasons, decision };
  const target = targetOf(assessment.parsed);
  // "scale deployment web api": no single target, but each named object is snapshotted, locked and restored.
  const targets = target ? [target] : namedTargetsOf(assessment.parsed);
  const key = targetKey(cfg.CLUSTER_NAME, target, action.command);
  const keys = targets.length ? targets.map((t) => targetKey(cfg.CLUSTER_NAME, t, action.command)) : [key];
  const ref = target?.ref;
  const blocked = async (detail: string, deferredTo?: string): Promise<ActionOutcome> => {
    await auditStep(deps, 'execution.refused', ctx.incidentId, { index, command: action.command, blocked: detail, ...(deferredTo ? { deferredTo } : {}) }, ref);
    return { ...base, status: 'blocked', detail, ...(deferredTo ? { deferredTo } : {}) };
  };

  const owner = `${deps.workerId}:${ctx.incidentId}`;
  const held: string[] = [];
  const releaseLocks = async () => {
    for (const lockKey of held) await deps.safety.releaseLock(lockKey, owner).catch((error: Error) => deps.logger.warn({ err: error, lockKey }, 'could not release target lock; it expires by itself'));
  };
  // Sorted, so that two workers locking overlapping sets never wait on each other in opposite orders.
  for (const k of [...new Set(keys)].sort()) {
    if (!(await deps.safety.acquireLock(`target:${k}`, owner, cfg.LOCK_TTL_SECONDS * 1_000))) {
      const owner = await deps.safety.getLockOwner(`target:${k}`).catch(() => undefined);
      const holder = describeLockOwner(owner);
      await releaseLocks();
      return blocked(`another run is remediating ${k}${holder ? ` (${holder})` : ''}; not acting on it concurrently`, incidentOfLockOwner(owner));
    }
    held.push(`target:${k}`);
  }
  try {
    const now = deps.clock.now();
    // A retried job must never repeat a write that already happened: the key covers incident, step and command.
    // It is checked before the cooldown and the slots, which the earlier attempt's write itself started and used:
    // the retry then verifies that write instead of being blocked by its own cooldown (or eating another slot).
    const onceKey = `action:${ctx.incidentId}:${index}:${createHash('sha256').update(action.command).digest('hex').slice(0, 16)}`;
    const alreadyDone = async (): Promise<ActionOutcome> => {
      const verdict = await verify(deps, action);
      await auditStep(deps, 'verification', ctx.incidentId, { index, command: action.command, retry: true, ...verdict }, ref);
      await recordOutcome(deps, ctx.incidentId, input.breakerScope, verdict.status !== 'failed', `retry verification ${verdict.status}`);
      return { ...base, status: 'already-done', verdict, detail: `already executed by an earlier attempt; not repeated (verification: ${verdict.status})` };
    };
    if (await deps.safety.isMarked(onceKey)) return await alreadyDone();

    for (const k of keys) {
      if (ctx.touchedTargets.has(k)) continue;
      const until = await deps.safety.getCooldown(k, now);
      if (until !== undefined && until > now) {
        const setBy = await deps.safety.getCooldownSetBy(k, now).catch(() => undefined);
        return blocked(`${k} is cooling down until ${new Date(until).toISOString()} (TARGET_COOLDOWN_SECONDS)${setBy ? ` after incident ${setBy} changed it` : ''}`, setBy);
      }
    }
    const slot = await deps.safety.takeIncidentActionSlot(ctx.incidentId, cfg.MAX_ACTIONS_PER_INCIDENT);
    if (!slot.allowed) return blocked(`MAX_ACTIONS_PER_INCIDENT (${cfg.MAX_ACTIONS_PER_INCIDENT}) reached for this incident`);
    const rate = await deps.safety.takeRateSlot(`cluster:${cfg.CLUSTER_NAME}`, cfg.CLUSTER_RATE_LIMIT, cfg.CLUSTER_RATE_WINDOW_SECONDS * 1_000, now);
    if (!rate.allowed) return blocked(`CLUSTER_RATE_LIMIT reached: ${cfg.CLUSTER_RATE_LIMIT} actions per ${cfg.CLUSTER_RATE_WINDOW_SECONDS}s`);
    const snapshots: Snapshot[] = [];
    for (const t of targets) {
      try {
        snapshots.push(await takeSnapshot(deps.runner, t, now, deps.signal));
      } catch (error) {
        return blocked(`no snapshot, so no write: ${(error as Error).message}`);
      }
    }
    const snapshot = snapshots[0];

    // Read the kill switch again right before the write: a pause issued while the lock, slots and snapshot were taken
    // (seconds, with a slow API server) must still stop it.
    const killSwitch = await readEffectiveKillSwitch(deps.safety, cfg.KILL_SWITCH);
    if (killSwitch.paused) return blocked(`the kill switch was turned on before the write (${killSwitch.source}${killSwitch.by ? `, by ${killSwitch.by}` : ''}): nothing executed`);

    // The atomic claim, last before the write (a blocked or snapshot-less step stays unmarked, so a retry may run it):
    // another attempt may have marked it since the check above (if the lock expired under it).
    if (!(await deps.safety.markOnce(onceKey, 7 * 86_400_000))) return await alreadyDone();
    let result: KubectlResult;
    try {
      // No shutdown signal here: killing kubectl mid-request leaves it unknown whether the change landed. One write
      // is one API request, bounded by KUBECTL_TIMEOUT_MS; a retry of the job finds it marked and verifies it.
      result = await deps.runner.run(deps.risk.argv(assessment));
    } catch (error) {
      // The runner refuses (e.g. a target override the scorer let through) rather than run: nothing was written.
      const detail = `not executed: ${(error as Error).message}`;
      await auditStep(deps, 'execution.refused', ctx.incidentId, { index, command: action.command, reason: detail }, ref);
      return { ...base, status: 'refused', detail };
    }
    for (const k of keys) ctx.touchedTargets.add(k);
    // Lets a later attempt of this job say so when it finds nothing left to do (see execute-proposal.ts).
    await deps.safety.markOnce(incidentWroteKey(ctx.incidentId), 7 * 86_400_000).catch(() => false);
    const execution: ExecutionRecord = {
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      timedOut: result.timedOut,
      truncated: result.truncated,
      stdout: clipStdoutOf(assessment, result.stdout),
      stderr: clipOutput(result.stderr),
    };
    await auditStep(deps, 'execution', ctx.incidentId, { index, command: action.command, ...execution, snapshot: snapshot ? summarizeSnapshot(snapshot) : undefined, ...(snapshots.length > 1 ? { snapshots: snapshots.map(summarizeSnapshot) } : {}) }, ref);
    if (result.exitCode !== 0) {
      await recordOutcome(deps, ctx.incidentId, input.breakerScope, false, `kubectl exited ${result.exitCode}`);
      return { ...base, status: 'failed', execution, detail: `kubectl exited ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}: ${execution.stderr.trim().slice(0, 300)}` };
    }

    const verdict = await verify(deps, action);
    deps.logger.info({ incidentId: ctx.incidentId, index, command: redactText(action.command), verdict: verdict.status }, redactText(`verification ${verdict.status}: ${verdict.detail}`));
    await auditStep(deps, 'verification', ctx.incidentId, { index, command: action.command, status: verdict.status, detail: verdict.detail, observed: verdict.observed, elapsedMs: verdict.elapsedMs }, ref);
    deps.metrics?.verifications.inc({ status: verdict.status });
    if (verdict.status !== 'failed') {
      await recordOutcome(deps, ctx.incidentId, input.breakerScope, true, `verification ${verdict.status}`);
      return { ...base, status: verdict.status, execution, verdict, detail: verdict.detail };
    }

    await recordOutcome(deps, ctx.incidentId, input.breakerScope, false, `verification failed: ${verdict.detail}`);
    let rollback: RollbackResult | undefined;
    if (cfg.AUTO_ROLLBACK && snapshots.length) rollback = await rollBackAll(deps, ctx, snapshots, index);
    return {
      ...base,
      status: rollback?.restored ? 'rolled-back' : 'failed',
      execution,
      verdict,
      rollback,
      detail: `verification failed: ${verdict.detail}${rollback ? `; rollback: ${rollback.detail}` : cfg.AUTO_ROLLBACK ? '; no snapshot to roll back to' : '; AUTO_ROLLBACK=false'}`,
    };
  } finally {
    await releaseLocks();
  }
}

/**
 * "incident X, worker W" for a lock owner `${workerId}:${incidentId}` (worker ids have no ':'; incident ids may), so
 * the refused incident points at the one that is handling its target.
 */
export function describeLockOwner(owner: string | undefined): string | undefined {
  if (!owner) return undefined;
  const incident = incidentOfLockOwner(owner);
  return incident ? `incident ${incident}, worker ${owner.slice(0, owner.indexOf(':'))}` : `held by ${owner}`;
}

export function incidentOfLockOwner(owner: string | undefined): string | undefined {
  const colon = owner?.indexOf(':') ?? -1;
  return owner && colon > 0 && colon < owner.length - 1 ? owner.slice(colon + 1) : undefined;
}

/** Each snapshot restored in turn; restored only when every object is back. */
async function rollBackAll(deps: ExecuteDeps, ctx: RunContext, snapshots: Snapshot[], index: number): Promise<RollbackResult> {
  if (snapshots.length === 1) return rollBack(deps, ctx, snapshots[0], index);
  const results: RollbackResult[] = [];
  for (const snapshot of snapshots) results.push(await rollBack(deps, ctx, snapshot, index));
  return {
    attempted: results.some((r) => r.attempted),
    restored: results.every((r) => r.restored),
    detail: results.map((r, i) => `${snapshots[i].target.resource}/${snapshots[i].target.name}: ${r.detail}`).join('; '),
    steps: results.flatMap((r) => r.steps),
  };
}

function verify(deps: ExecuteDeps, action: ProposedAction) {
  const cfg = deps.config;
  return verifyPostconditions(action.postconditions, deps, {
    deadlineMs: cfg.VERIFY_DEADLINE_SECONDS * 1_000,
    pollMs: cfg.VERIFY_POLL_MS,
    crashLoopWindowMs: cfg.NO_CRASHLOOP_WINDOW_SECONDS * 1_000,
  });
}

async function rollBack(deps: ExecuteDeps, ctx: RunContext, snapshot: Snapshot, index: number): Promise<RollbackResult> {
  const cfg = deps.config;
  // "No writes at all" includes the rollback: a human who paused the agent decides what to restore.
  const killSwitch = await readEffectiveKillSwitch(deps.safety, cfg.KILL_SWITCH);
  if (killSwitch.paused) {
    const skipped: RollbackResult = { attempted: false, restored: false, detail: 'the kill switch is on: rollback not attempted', steps: [] };
    await auditStep(deps, 'rollback', ctx.incidentId, { index, attempted: false, restored: false, detail: skipped.detail }, snapshot.target.ref);
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
      onStep: (step) => auditStep(deps, 'rollback', ctx.incidentId, { index, ...step, stderr: step.stderr ? clipOutput(step.stderr) : undefined }, snapshot.target.ref),
    },
    { deadlineMs: cfg.VERIFY_DEADLINE_SECONDS * 1_000, pollMs: cfg.VERIFY_POLL_MS },
  );
  await auditStep(deps, 'rollback', ctx.incidentId, { index, attempted: result.attempted, restored: result.restored, detail: result.detail }, snapshot.target.ref);
  if (result.restored) {
    deps.logger.warn({ incidentId: ctx.incidentId, index, restored: true }, `rollback: ${result.detail}`);
    return result;
  }
  // The object is in neither the state the fix wanted nor the one before it: the loudest thing we log.
  deps.logger.error({ incidentId: ctx.incidentId, index, restored: false, target: snapshot.target.ref }, `ROLLBACK FAILED, ${snapshot.target.resource}/${snapshot.target.name} is not back to its snapshot: ${result.detail}`);
  return { ...result, detail: `FAILED, the object is not back to its snapshot: ${result.detail}` };
}

/** Reports to the breaker and audits any transition. A breaker store failure must not hide the outcome. */
export async function recordOutcome(deps: ExecuteDeps, incidentId: string, scope: string, success: boolean, why: string): Promise<void> {
  try {
    const transition = await deps.safety.recordBreakerOutcome(scope, success, breakerPolicyFromConfig(deps.config), deps.clock.now());
    if (transition) await reportBreakerTransition(deps, incidentId, transition, why);
  } catch (error) {
    deps.logger.error({ err: error, scope }, 'cannot record the breaker outcome');
  }
}

/** Logs, meters and audits one breaker transition. */
export async function reportBreakerTransition(deps: ExecuteDeps, incidentId: string, transition: BreakerTransition, why: string): Promise<void> {
  deps.logger.warn({ ...transition, incidentId }, `circuit breaker ${transition.from} → ${transition.to}: ${transition.reason}`);
  deps.metrics?.breakerOpen.set({ scope: transition.scope }, transition.to === 'open' ? 1 : 0);
  await auditStep(deps, 'breaker.transition', incidentId, { ...transition, trigger: why });
}
