import { redactText } from '../redaction/redact.js';
import type { ObjectRef } from '../domain/audit.js';
import { auditStep } from './audit-step.js';
import type { ExecuteDeps, ExecutionReport } from './execute-deps.js';

/**
 * One 'escalation' audit record (and a warning) when a human must look, with every reason. With a target, the
 * record also becomes a Warning Event on that object, where `kubectl describe` shows it (not in plan mode).
 */
export async function recordEscalation(deps: ExecuteDeps, report: ExecutionReport, target?: ObjectRef): Promise<void> {
  if (!report.escalate) return;
  deps.logger.warn({ incidentId: report.incidentId, reasons: report.escalationReasons.map((r) => redactText(r)) }, `escalating incident ${report.incidentId} to a human`);
  await auditStep(deps, 'escalation', report.incidentId, {
    mode: report.mode,
    reasons: report.escalationReasons,
    approvalId: report.approval?.id,
    outcomes: report.outcomes.map((o) => ({ index: o.index, command: o.command, status: o.status })),
  }, target);
}
