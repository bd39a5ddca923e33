// The YOLO runner (and, with humanApproved, the runner of an approved plan): actions in order, each scored,
// decided and — when the decision is execute — written under every guard, verified and rolled back on failure.
// The run stops at the first action that is refused, fails, or needs a human; later actions may depend on it.
import type { ExecutionMode } from '../domain/decision.js';
import type { ProposedAction } from '../domain/proposal.js';
import { assessAction, breakerScopeOf, decideAction } from './assess-and-decide.js';
import { auditStep } from './audit-step.js';
import type { ActionOutcome, ExecuteDepsWith } from './execute-deps.js';
import { guardedWrite, type RunContext } from './guarded-write.js';
import { runReadOnly } from './run-read-only.js';

export interface IndexedAction {
  /** Position in the original proposal (stable across approval and retries). */
  index: number;
  action: ProposedAction;
}

export interface SequenceResult {
  outcomes: ActionOutcome[];
  /** Actions from the first one that needs a human onwards: they go to approval together. */
  needsApproval: IndexedAction[];
  escalationReasons: string[];
}

export async function runActionSequence(
  deps: ExecuteDepsWith<'limits' | 'marks' | 'killSwitch' | 'breakers'>,
  incidentId: string,
  actions: readonly IndexedAction[],
  mode: Exclude<ExecutionMode, 'plan'>,
  options: { humanApproved?: boolean; incidentNamespace?: string; planHash?: string } = {},
): Promise<SequenceResult> {
  const ctx: RunContext = { incidentId, touchedTargets: new Set(), planHash: options.planHash };
  const outcomes: ActionOutcome[] = [];
  const escalationReasons: string[] = [];
  let needsApproval: IndexedAction[] = [];
  try {
    for (let i = 0; i < actions.length; i++) {
      deps.signal?.throwIfAborted();
      const { index, action } = actions[i];
      const assessment = await assessAction(deps, incidentId, index, action);
      const decision = await decideAction(deps, incidentId, index, action, assessment, mode, options);
      const base = { index, command: action.command, level: assessment.level, reasons: assessment.reasons, decision };

      if (decision.kind === 'skip') {
        outcomes.push({ ...base, status: 'skipped', detail: decision.reason });
        continue;
      }
      if (decision.kind === 'refuse') {
        await auditStep(deps, 'execution.refused', incidentId, { index, command: action.command, reason: decision.reason });
        outcomes.push({ ...base, status: 'refused', detail: decision.reason });
        escalationReasons.push(`action ${index + 1} refused: ${decision.reason}`);
        break;
      }
      if (decision.kind === 'approval') {
        needsApproval = actions.slice(i);
        outcomes.push({ ...base, status: 'awaiting-approval', detail: decision.reason });
        break;
      }
      const outcome = assessment.readOnly
        ? await runReadOnly(deps, incidentId, index, action, assessment, decision)
        : await guardedWrite(deps, ctx, { index, action, assessment, decision, breakerScope: breakerScopeOf(deps, assessment) });
      outcomes.push(outcome);
      const succeeded = outcome.status === 'verified' || outcome.status === 'unverifiable' || (outcome.status === 'already-done' && outcome.verdict?.status !== 'failed');
      if (!succeeded) {
        escalationReasons.push(`action ${index + 1} ${outcome.status}: ${outcome.detail}`);
        break;
      }
    }
  } finally {
    await startCooldowns(deps, ctx);
  }
  return { outcomes, needsApproval, escalationReasons };
}

/** Every target this run wrote to cools down from now (TARGET_COOLDOWN_SECONDS), for the next incident. */
async function startCooldowns(deps: ExecuteDepsWith<'limits'>, ctx: RunContext): Promise<void> {
  if (deps.config.TARGET_COOLDOWN_SECONDS <= 0) return;
  const until = deps.clock.now() + deps.config.TARGET_COOLDOWN_SECONDS * 1_000;
  for (const key of ctx.touchedTargets) {
    await deps.limits.setCooldown(key, until, ctx.incidentId).catch((error: Error) => deps.logger.error({ err: error, key }, 'cannot set the target cooldown'));
  }
}
