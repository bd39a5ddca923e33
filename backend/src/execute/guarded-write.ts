// One write, with every guard around it: target lock, cooldown, per-incident cap, cluster rate limit, idempotency,
// snapshot, durable intent in the action ledger, execution, verification, rollback and the breaker outcome. Each step
// is audited. A retry that finds the action in the ledger resumes it (resume-action.ts) and never repeats it blindly.
import type { Decision } from '../domain/decision.js';
import type { ProposedAction } from '../domain/proposal.js';
import type { RiskAssessment } from '../domain/risk.js';
import { commandHashOf, ledgerKeyOf, redactSnapshotForLedger, type LedgerEntry, type LedgerSnapshot } from '../ledger/action-ledger.js';
import { readEffectiveKillSwitch } from '../safety/kill-switch.js';
import { auditStep } from './audit-step.js';
import type { ActionOutcome, ExecuteDepsWith } from './execute-deps.js';
import { finishWrite, runWrite } from './finish-write.js';
import { resumeAction } from './resume-action.js';
import { takeSnapshot } from './snapshot.js';
import { namedTargetsOf, targetKey, targetOf } from './target-of.js';
import { testHookAt } from './test-crash-hook.js';
import type { WriteScope } from './write-steps.js';

/** State shared by the actions of one incident's run. */
export interface RunContext {
  incidentId: string;
  /** Targets this run already wrote to: the cooldown applies between incidents, not between one incident's steps. */
  touchedTargets: Set<string>;
  /** The approved plan's hash (an approved-plan run), kept in the ledger's intent. */
  planHash?: string;
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
export async function guardedWrite(deps: ExecuteDepsWith<'limits' | 'marks' | 'killSwitch' | 'breakers'>, ctx: RunContext, input: GuardedWriteInput): Promise<ActionOutcome> {
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

  const ledgerKey = ledgerKeyOf(ctx.incidentId, index, action.command);
  const scope: WriteScope = { incidentId: ctx.incidentId, index, ledgerKey, breakerScope: input.breakerScope };
  // A retried job must never repeat a write: the ledger is read before the cooldown and the slots, which the earlier
  // attempt's write itself started and used, so the retry resumes that write instead of being blocked by it.
  let existing: LedgerEntry | undefined;
  try {
    existing = await deps.ledger.read(ledgerKey);
  } catch (error) {
    return blocked(`the action ledger cannot be read, so whether an earlier attempt ran this write is unknown: ${(error as Error).message}; not executed`);
  }
  const owner = `${deps.workerId}:${ctx.incidentId}`;
  // The attempt that died still holds its target locks until they expire; they are this incident's own (the ledger
  // names their owner), so the retry takes them over instead of waiting out LOCK_TTL_SECONDS.
  if (existing && existing.intent.owner !== owner) {
    for (const lockKey of existing.intent.lockKeys) await deps.limits.releaseLock(lockKey, existing.intent.owner).catch(() => undefined);
  }
  const touched = async () => {
    for (const k of keys) ctx.touchedTargets.add(k);
    // Lets a later attempt of this job say so when it finds nothing left to do (see execute-proposal.ts).
    await deps.marks.markOnce(incidentWroteKey(ctx.incidentId), 7 * 86_400_000).catch(() => false);
  };
  const held: string[] = [];
  const releaseLocks = async () => {
    for (const lockKey of held) await deps.limits.releaseLock(lockKey, owner).catch((error: Error) => deps.logger.warn({ err: error, lockKey }, 'could not release target lock; it expires by itself'));
  };
  // Sorted, so that two workers locking overlapping sets never wait on each other in opposite orders.
  for (const k of [...new Set(keys)].sort()) {
    if (!(await deps.limits.acquireLock(`target:${k}`, owner, cfg.LOCK_TTL_SECONDS * 1_000))) {
      const holderOwner = await deps.limits.getLockOwner(`target:${k}`).catch(() => undefined);
      const holder = describeLockOwner(holderOwner);
      await releaseLocks();
      return blocked(`another run is remediating ${k}${holder ? ` (${holder})` : ''}; not acting on it concurrently`, incidentOfLockOwner(holderOwner));
    }
    held.push(`target:${k}`);
  }
  try {
    if (existing) return await resumeAction(deps, { scope, base, action, assessment, entry: existing, ref, owner, touched });
    const now = deps.clock.now();
    for (const k of keys) {
      if (ctx.touchedTargets.has(k)) continue;
      const until = await deps.limits.getCooldown(k, now);
      if (until !== undefined && until > now) {
        const setBy = await deps.limits.getCooldownSetBy(k, now).catch(() => undefined);
        return blocked(`${k} is cooling down until ${new Date(until).toISOString()} (TARGET_COOLDOWN_SECONDS)${setBy ? ` after incident ${setBy} changed it` : ''}`, setBy);
      }
    }
    const slot = await deps.limits.takeIncidentActionSlot(ctx.incidentId, cfg.MAX_ACTIONS_PER_INCIDENT);
    if (!slot.allowed) return blocked(`MAX_ACTIONS_PER_INCIDENT (${cfg.MAX_ACTIONS_PER_INCIDENT}) reached for this incident`);
    const rate = await deps.limits.takeRateSlot(`cluster:${cfg.CLUSTER_NAME}`, cfg.CLUSTER_RATE_LIMIT, cfg.CLUSTER_RATE_WINDOW_SECONDS * 1_000, now);
    if (!rate.allowed) return blocked(`CLUSTER_RATE_LIMIT reached: ${cfg.CLUSTER_RATE_LIMIT} actions per ${cfg.CLUSTER_RATE_WINDOW_SECONDS}s`);
    const snapshots: LedgerSnapshot[] = [];
    for (const t of targets) {
      try {
        snapshots.push(redactSnapshotForLedger(await takeSnapshot(deps.runner, t, now, deps.signal)));
      } catch (error) {
        return blocked(`no snapshot, so no write: ${(error as Error).message}`);
      }
    }

    // Read the kill switch again right before the write: a pause issued while the lock, slots and snapshot were taken
    // (seconds, with a slow API server) must still stop it.
    const killSwitch = await readEffectiveKillSwitch(deps.killSwitch, cfg.KILL_SWITCH);
    if (killSwitch.paused) return blocked(`the kill switch was turned on before the write (${killSwitch.source}${killSwitch.by ? `, by ${killSwitch.by}` : ''}): nothing executed`);

    // The durable intent, last before the write: no intent, no write. A blocked or snapshot-less step records none,
    // so a retry may run it. Another attempt may have claimed it since the read above (if the lock expired under it).
    const intent = { incidentId: ctx.incidentId, index, planHash: ctx.planHash ?? commandHashOf(action.command), command: action.command, argv: deps.risk.argv(assessment), owner, lockKeys: held.slice(), snapshots, at: deps.clock.now() };
    let claimed: boolean;
    try {
      claimed = await deps.ledger.claimIntent(ledgerKey, intent, deps.config.LEDGER_TTL_HOURS * 3_600_000);
    } catch (error) {
      return blocked(`no durable intent, so no write: the action ledger is unavailable (${(error as Error).message})`);
    }
    if (!claimed) {
      const entry = await deps.ledger.read(ledgerKey).catch(() => undefined);
      if (!entry) return blocked('another attempt claimed this write and its ledger entry cannot be read: not executed');
      return await resumeAction(deps, { scope, base, action, assessment, entry, ref, owner, touched });
    }
    await testHookAt('after-snapshot');
    const ran = await runWrite(deps, scope, action, assessment, snapshots, ref);
    if ('refused' in ran) return { ...base, status: 'refused', detail: ran.refused };
    await touched();
    return await finishWrite(deps, scope, base, action, snapshots, ref, ran.execution);
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
