// Approval mode: the plan waits in the SafetyStore for a human; executeApprovedPlan runs exactly what was approved.
import { redactText } from '../redaction/redact.js';
import { InvalidInputError, PolicyRefusal, TargetChangedRefusal } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import type { ProposedAction } from '../domain/proposal.js';
import { assertApprovedPlan, createPendingApproval, resolvedIncidentApprovalKey, targetChangedApprovalKey } from '../safety/approvals.js';
import { APPROVAL_RETENTION_MS } from '../safety/approval-status.js';
import { breakerPolicyFromConfig } from '../safety/breaker-policy.js';
import { readEffectiveKillSwitch } from '../safety/kill-switch.js';
import type { PendingApproval } from '../safety/safety-store.js';
import { auditStep } from './audit-step.js';
import { dryRunEach, type DryRunResult } from './dry-run.js';
import type { ActionOutcome, ExecuteDeps, ExecuteDepsWith, ExecutionReport } from './execute-deps.js';
import { breakerScopeOf } from './assess-and-decide.js';
import { runActionSequence, type IndexedAction } from './run-actions.js';
import { targetOf } from './target-of.js';
import { readFreshMarkers, recordTargetMarkers, targetsOfCommands } from './read-target-markers.js';
import { compareMarkers, describeTargetChange, type TargetMarker } from './target-marker.js';

/** What an approval record carries for the runner (stored redacted; commands are checked against the hash). */
export interface ApprovalPayload {
  incidentId: string;
  title?: string;
  actions: Array<{ index: number; action: ProposedAction }>;
  outcomesSoFar?: Array<Pick<ActionOutcome, 'index' | 'command' | 'status' | 'level'>>;
  /** The incident as triaged (redacted), so a refused approval can be planned again through the same triage. */
  incident?: Incident;
  /** What the plan saw of each object its commands act on (target-marker.ts), re-checked before the plan runs. */
  targets?: TargetMarker[];
  /** Each write's server-side dry run at the time of the request (changes are redacted), for the approver. */
  dryRuns?: Array<{ index: number } & DryRunResult>;
}

/**
 * Stores the pending approval for these actions (plan hash over every command line, expiry APPROVAL_TTL_SECONDS), with
 * a change marker of each target read fresh from the cluster now, each write's server-side dry run, and the incident
 * for a later re-plan.
 */
export async function requestApproval(deps: ExecuteDepsWith<'approvals'>, incident: Incident, actions: readonly IndexedAction[]): Promise<PendingApproval> {
  const targets = await recordTargetMarkers(deps.reader, targetsOfCommands(deps.risk, actions.map((a) => a.action.command)));
  const dryRuns = await dryRunEach(deps, actions);
  const payload: ApprovalPayload = { incidentId: incident.id, title: incident.title, actions: actions.map(({ index, action }) => ({ index, action })), incident, targets, dryRuns };
  const approval = await createPendingApproval(
    { store: deps.approvals, audit: deps.audit, now: () => deps.clock.now() },
    { incidentId: incident.id, commands: actions.map((a) => a.action.command), ttlMs: deps.config.APPROVAL_TTL_SECONDS * 1_000, payload },
  );
  deps.logger.info({ incidentId: incident.id, approvalId: approval.id, planHash: approval.planHash, commands: approval.commands.map((c) => redactText(c)) }, `approval requested for ${approval.commands.length} command(s)`);
  return approval;
}

/**
 * Runs an approved plan: exactly the approved commands, each re-scored (forbidden still never runs; the destructive
 * flag, breaker and kill switch still apply). Refuses an expired, undecided or denied approval, a plan whose commands
 * no longer match the approved hash, and a second run of the same approval.
 */
export async function executeApprovedPlan(approvalId: string, deps: ExecuteDeps): Promise<ExecutionReport> {
  const now = deps.clock.now();
  const approval = await deps.approvals.getApproval(approvalId, now);
  if (!approval) throw new InvalidInputError(`approval ${approvalId} not found`, 'list the pending approvals with `oncall-agent approvals`');
  const refuse = async (message: string): Promise<never> => {
    await auditStep(deps, 'execution.refused', approval.incidentId, { approvalId, reason: message });
    throw new PolicyRefusal(`approval ${approvalId}: ${message}`);
  };
  if (approval.status === 'expired' || now >= approval.expiresAt) await refuse('has expired; re-run the incident for a fresh plan');
  const payload = approval.payload as ApprovalPayload | null;
  const actions = Array.isArray(payload?.actions) ? payload.actions : [];
  // The commands that would run are the payload's; they must be exactly the approved ones, in order.
  const commands = actions.map((a) => a.action?.command);
  if (commands.length !== approval.commands.length || commands.some((c, i) => c !== approval.commands[i])) {
    // The payload is stored redacted: a command carrying a credential-like value cannot be carried to execution.
    const redactedOnly = commands.length === approval.commands.length && commands.every((c, i) => c === redactText(approval.commands[i]));
    await refuse(
      redactedOnly
        ? 'a command carries a credential-like value, which is never stored for later execution; such a plan cannot run from an approval (do it by hand)'
        : 'the stored actions differ from the approved commands (plan changed)',
    );
  }
  try {
    assertApprovedPlan(approval, approval.incidentId, commands);
  } catch (error) {
    await refuse((error as Error).message);
  }
  if (await deps.marks.isMarked(resolvedIncidentApprovalKey(approvalId))) {
    await refuse(`incident ${approval.incidentId} was resolved in PagerDuty after this plan was made: the plan is stale, nothing executed`);
  }
  const executedKey = `approval-executed:${approvalId}`;
  // Before the target check: the plan's own writes changed its target, and a second run must say it already ran.
  if (await deps.marks.isMarked(executedKey)) await refuse('was already executed');
  await refuseIfTargetChanged(deps, approval, payload?.targets, refuse);
  // Checked before the approval is claimed: a plan held back by the kill switch or an open breaker stays approved and
  // unexecuted, so the same human decision can run once the agent is resumed or the breaker lets a trial through.
  const hold = await holdReason(deps, actions);
  if (hold) await refuse(`${hold}; nothing executed and the approval stays approved: run it again (\`oncall-agent approve ${approvalId} --plan-hash ${approval.planHash}\`) once that clears`);
  if (!(await deps.marks.markOnce(executedKey, 7 * 86_400_000))) await refuse('was already executed');

  const result = await runActionSequence(deps, approval.incidentId, actions, 'approval', { humanApproved: true, planHash: approval.planHash });
  // A run that wrote nothing (every command refused under this process's settings, or blocked by a lock or a limit)
  // used up nothing: the approval stays runnable, so the same decision can run once the cause is fixed.
  const wrote = result.outcomes.some((o) => o.execution !== undefined || o.status === 'already-done' || o.status === 'unverified');
  if (!wrote) {
    await deps.marks.clearMark(executedKey).catch((error: unknown) => deps.logger.warn({ err: error, approvalId }, 'could not clear the executed mark of an approval whose run wrote nothing'));
  }
  const escalationReasons = [...result.escalationReasons];
  if (result.needsApproval.length) escalationReasons.push('an approved action could not run automatically');
  const first = actions[0]?.action.command;
  const target = first ? targetOf(deps.risk.assess(first).parsed)?.ref : undefined;
  return { incidentId: approval.incidentId, mode: 'approval', outcomes: result.outcomes, escalate: escalationReasons.length > 0, escalationReasons, ...(target ? { target } : {}) };
}

/**
 * Re-reads every target the plan recorded and refuses, for good, when one changed since the plan (a typed refusal the
 * approval pipeline answers with a new plan). A target that cannot be read now holds the run like the kill switch does:
 * nothing executes and the approval stays approved, since the cluster may well be unchanged.
 */
async function refuseIfTargetChanged(deps: ExecuteDeps, approval: PendingApproval, recorded: TargetMarker[] | undefined, refuse: (message: string) => Promise<never>): Promise<void> {
  const key = targetChangedApprovalKey(approval.id);
  if (await deps.marks.isMarked(key)) await refuse('its target changed since the plan was made, so it can never run; a new plan was made for the incident: approve that one');
  const markers = Array.isArray(recorded) ? recorded : [];
  if (markers.length === 0) return;
  let fresh: TargetMarker[];
  try {
    fresh = await readFreshMarkers(deps.reader, markers.map((m) => m.ref));
  } catch (error) {
    const why = redactText(error instanceof Error ? error.message : String(error)).slice(0, 300);
    return refuse(`its targets cannot be read to check they did not change since the plan (${why}); nothing executed and the approval stays approved: run it again once the cluster answers`);
  }
  const changes = compareMarkers(markers, fresh).map(describeTargetChange);
  if (changes.length === 0) return;
  await deps.marks.markOnce(key, APPROVAL_RETENTION_MS);
  const message = `approval ${approval.id}: ${changes.join('; ')}; nothing executed`;
  await auditStep(deps, 'execution.refused', approval.incidentId, { approvalId: approval.id, reason: message, targetChanged: changes });
  deps.logger.warn({ approvalId: approval.id, changes }, message);
  throw new TargetChangedRefusal(message, approval.id, changes);
}

/** Why no write of this plan may run right now (kill switch, or an open breaker / taken half-open trial), if so. */
async function holdReason(deps: ExecuteDepsWith<'killSwitch' | 'breakers'>, actions: ApprovalPayload['actions']): Promise<string | undefined> {
  const writes = actions.map((a) => deps.risk.assess(a.action.command)).filter((a) => !a.readOnly && a.level !== 'forbidden');
  if (!writes.length) return undefined;
  const killSwitch = await readEffectiveKillSwitch(deps.killSwitch, deps.config.KILL_SWITCH);
  if (killSwitch.paused) return `the kill switch is on (${killSwitch.source}${killSwitch.reason ? `: ${killSwitch.reason}` : ''})`;
  const policy = breakerPolicyFromConfig(deps.config);
  const now = deps.clock.now();
  for (const scope of new Set(writes.map((a) => breakerScopeOf(deps, a)))) {
    const breaker = await deps.breakers.getBreaker(scope, policy, now).catch(() => undefined);
    if (!breaker) return `the circuit breaker ${scope} cannot be read (fail closed)`;
    const trialTaken = breaker.state === 'half-open' && breaker.trialInFlight === true && breaker.trialStartedAt !== undefined && now < breaker.trialStartedAt + policy.openMs;
    if (breaker.state === 'open' || trialTaken) return `the circuit breaker ${scope} is ${breaker.state}${trialTaken ? ' with its one trial action in flight' : ''}`;
  }
  return undefined;
}
