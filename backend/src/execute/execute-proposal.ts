// The execute stage's entry point: resolve the mode, then preview, ask for approval, or run (YOLO).
import type { Incident } from '../domain/incident.js';
import type { RemediationProposal } from '../domain/proposal.js';
import { requestApproval } from './approvals.js';
import { assessAction, decideAction } from './assess-and-decide.js';
import type { ActionOutcome, ExecuteDeps, ExecutionReport } from './execute-deps.js';
import { resolveMode } from './resolve-mode.js';
import { runActionSequence, type IndexedAction } from './run-actions.js';
import { runPlan } from './run-plan.js';
import { incidentOfLockOwner, incidentWroteKey } from './guarded-write.js';
import { objectKey, refOfIncidentTarget } from './target-of.js';

/** Runs the proposal in its mode. Writes no ending: the pipeline turns the report into the run's one outcome. */
export async function executeProposal(deps: ExecuteDeps, incident: Incident, proposal: RemediationProposal): Promise<ExecutionReport & { previewText?: string }> {
  const report = await runMode(deps, incident, proposal);
  const target = refOfIncidentTarget(proposal.target);
  return target ? { ...report, target } : report;
}

async function runMode(deps: ExecuteDeps, incident: Incident, proposal: RemediationProposal): Promise<ExecutionReport & { previewText?: string }> {
  const mode = resolveMode(deps.config.EXECUTION_MODE as 'yolo' | 'approval' | 'plan', deps.config.MODE_OVERRIDES, { namespace: proposal.target?.namespace, serviceId: incident.serviceId });
  const escalationReasons: string[] = proposal.escalate.required ? [`diagnosis: ${proposal.escalate.reason ?? 'no safe automatic fix'}`] : [];
  // A retried job (the worker died after its write) diagnoses a cluster it already changed: say so, so the human
  // reads the earlier attempt's outcome instead of hunting for a failure that was fixed.
  if (proposal.actions.length === 0 && (await deps.marks.isMarked(incidentWroteKey(incident.id)).catch(() => false))) {
    escalationReasons.unshift(`an earlier attempt of this job already ran a write for incident ${incident.id}; see \`oncall-agent audit --incident ${incident.id}\``);
  }
  // An alert storm: the workload was just changed by another incident, so finding nothing wrong (or nothing to do)
  // now is that incident's doing; name it rather than leave the human hunting.
  if (proposal.actions.length === 0) {
    const changedBy = await recentlyChangedBy(deps, proposal);
    if (changedBy && changedBy !== incident.id) escalationReasons.push(`${proposal.target?.kind?.toLowerCase()}/${proposal.target?.name} is being or was just changed by incident ${changedBy} (target lock or TARGET_COOLDOWN_SECONDS); see \`oncall-agent audit --incident ${changedBy}\``);
  }
  const actions: IndexedAction[] = proposal.actions.map((action, index) => ({ index, action }));

  if (mode === 'plan') {
    const plan = await runPlan(deps, incident, proposal);
    return { incidentId: incident.id, mode, outcomes: plan.outcomes, escalate: escalationReasons.length > 0, escalationReasons, previewText: plan.text };
  }

  if (mode === 'approval') {
    const outcomes: ActionOutcome[] = [];
    const waiting: IndexedAction[] = [];
    for (const item of actions) {
      const assessment = await assessAction(deps, incident.id, item.index, item.action);
      const decision = await decideAction(deps, incident.id, item.index, item.action, assessment, 'approval', { incidentNamespace: proposal.target?.namespace });
      const status = decision.kind === 'approval' ? 'awaiting-approval' : decision.kind === 'skip' ? 'skipped' : 'refused';
      outcomes.push({ index: item.index, command: item.action.command, level: assessment.level, reasons: assessment.reasons, decision, status, detail: decision.reason });
      if (status === 'refused') {
        escalationReasons.push(`action ${item.index + 1} refused: ${decision.reason}`);
        break; // later actions may depend on the refused one
      }
      if (status === 'awaiting-approval') waiting.push(item);
    }
    const approval = waiting.length ? await requestApproval(deps, incident, waiting) : undefined;
    if (!approval) escalationReasons.push('nothing to approve');
    return { incidentId: incident.id, mode, outcomes, approval, escalate: escalationReasons.length > 0, escalationReasons };
  }

  const result = await runActionSequence(deps, incident.id, actions, 'yolo', { incidentNamespace: proposal.target?.namespace });
  const approval = result.needsApproval.length ? await requestApproval(deps, incident, result.needsApproval) : undefined;
  escalationReasons.push(...result.escalationReasons);
  // Every action skipped as too unsure: nothing ran and nobody was asked, so the incident would be silently dropped.
  if (!approval && result.outcomes.length > 0 && result.outcomes.every((o) => o.status === 'skipped')) {
    escalationReasons.push(`no action taken: every proposed action was skipped (${result.outcomes.map((o) => `action ${o.index + 1}: ${o.detail}`).join('; ')})`);
  }
  return { incidentId: incident.id, mode, outcomes: result.outcomes, approval, escalate: escalationReasons.length > 0, escalationReasons };
}

/** The incident changing the target workload now (holding its lock) or whose write started its cooldown. */
async function recentlyChangedBy(deps: ExecuteDeps, proposal: RemediationProposal): Promise<string | undefined> {
  const t = proposal.target;
  if (!t?.kind || !t.name || t.kind === 'Node') return undefined;
  const key = objectKey(deps.config.CLUSTER_NAME, `${t.kind.toLowerCase()}s`, t.namespace, t.name);
  // While the handler verifies its fix the workload already looks healthy, and its cooldown starts only at the end.
  const holder = incidentOfLockOwner(await deps.limits.getLockOwner(`target:${key}`).catch(() => undefined));
  return holder ?? deps.limits.getCooldownSetBy(key, deps.clock.now()).catch(() => undefined);
}
