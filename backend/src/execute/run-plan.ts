// Plan mode: never executes a write. For each command: risk, what YOLO / approval would decide, and what a
// server-side dry run says would change. Logged as one readable block plus a structured record, and audited.
import type { Decision } from '../domain/decision.js';
import type { Incident } from '../domain/incident.js';
import type { RemediationProposal } from '../domain/proposal.js';
import { assessAction, decideAction } from './assess-and-decide.js';
import { auditStep } from './audit-step.js';
import { runDryRun, type DryRunResult } from './dry-run.js';
import type { ActionOutcome, ExecuteDepsWith } from './execute-deps.js';
import { isPrettyLogger } from '../observability/logger.js';
import { buildPlanPreview, buildPreviewItem, previewRecords, renderPreview, type PlanPreview } from './render-preview.js';

export interface PlanResult {
  preview: PlanPreview;
  text: string;
  outcomes: ActionOutcome[];
}

/**
 * Plan mode never runs what no mode would run: the server-side dry run is still a kubectl call (and a read of the
 * object), so it happens only when YOLO would execute the command or approval mode would offer it to a human.
 */
export function couldExecute(decision: Decision): boolean {
  return [decision.wouldBe, decision.wouldBeInApproval].some((kind) => kind === 'execute' || kind === 'approval');
}

export async function runPlan(deps: ExecuteDepsWith<'killSwitch' | 'breakers'>, incident: Pick<Incident, 'id' | 'title'>, proposal: RemediationProposal): Promise<PlanResult> {
  const items = [];
  const outcomes: ActionOutcome[] = [];
  for (const [index, action] of proposal.actions.entries()) {
    deps.signal?.throwIfAborted();
    const assessment = await assessAction(deps, incident.id, index, action);
    const decision = await decideAction(deps, incident.id, index, action, assessment, 'plan', { incidentNamespace: proposal.target?.namespace });
    let dryRun: DryRunResult | undefined;
    if (decision.kind === 'preview') {
      const refusedEverywhere = !couldExecute(decision);
      dryRun = assessment.readOnly
        ? { ran: false, reason: 'read-only command: changes nothing' }
        : refusedEverywhere
          ? { ran: false, reason: `not dry-run: no mode would run it (${decision.reason})` }
          : await runDryRun(deps, assessment);
    }
    items.push(buildPreviewItem(index, action, assessment, decision, dryRun));
    outcomes.push({ index, command: action.command, level: assessment.level, reasons: assessment.reasons, decision, status: decision.kind === 'refuse' ? 'refused' : 'previewed', detail: decision.reason, dryRun });
  }
  const preview = buildPlanPreview(incident, proposal, items);
  const text = renderPreview(preview);
  // Readable in either log format: the text block for people reading a terminal, one structured record per command
  // for JSON logs (what `kubectl logs` and log search show), so each command's risk and decision can be queried.
  if (isPrettyLogger(deps.logger)) deps.logger.info(`\n${text}`);
  else {
    const { header, commands } = previewRecords(preview);
    deps.logger.info({ planPreview: header }, `plan preview for incident ${incident.id}: ${items.length} command(s), nothing executed`);
    for (const command of commands) {
      deps.logger.info({ planCommand: command }, `plan preview ${incident.id} command ${command.index + 1}/${items.length}: ${command.command} — ${command.risk} risk, ${command.decision}${command.wouldBe ? ` (yolo would ${command.wouldBe})` : ''}`);
    }
  }
  await auditStep(deps, 'plan.preview', incident.id, { preview });
  return { preview, text, outcomes };
}
