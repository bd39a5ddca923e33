// ADAPTER (the one file to switch once the composition root and the outcome-writing triage pipeline are on main):
// the RemediationEngine over today's createPipelineDeps + handleIncident + executeApprovedPlan. Until the pipeline
// writes `incident.outcome` itself, this adapter builds the IncidentOutcome from the run and records it, once per run.
import type { AuditReader } from '../audit/audit-reader.js';
import type { ExecutionMode } from '../domain/decision.js';
import { PolicyRefusal } from '../domain/errors.js';
import type { IncidentOutcome, OutcomeCommand, OutcomeKind, OutcomeRun } from '../domain/outcome.js';
import type { RemediationProposal } from '../domain/proposal.js';
import { executeApprovedPlan } from '../execute/approvals.js';
import type { ExecutionReport } from '../execute/execute-deps.js';
import { executeProposal } from '../execute/execute-proposal.js';
import type { Logger } from '../observability/logger.js';
import type { RunningPipeline } from '../pipeline/create-pipeline-deps.js';
import { handleIncident, type PipelineDeps } from '../pipeline/handle-incident.js';
import { redactText } from '../redaction/redact.js';
import { approvePlan, denyPlan } from '../safety/approvals.js';
import { capModes, type ApprovalDecision, type RemediationEngine } from './remediation-engine.js';

export function createRemediationEngine(running: RunningPipeline, reader: AuditReader, logger: Logger): RemediationEngine {
  const withCap = (cap: ExecutionMode): PipelineDeps => ({
    ...running.deps,
    execute: (incident, proposal, log, signal) => executeProposal({ ...running.execute, config: capModes(running.execute.config, cap), logger: log, signal }, incident, proposal),
  });
  const audit = running.audit.sink;

  const record = async (outcome: IncidentOutcome, actor: string): Promise<IncidentOutcome> => {
    await audit.write({ ts: new Date().toISOString(), type: 'incident.outcome', incidentId: outcome.incidentId, actor, data: outcome as unknown as Record<string, unknown> });
    return outcome;
  };

  return {
    async triage(incident, cap, signal) {
      const started = Date.now();
      const deps = withCap(cap);
      const { proposal, report } = await handleIncident(incident, deps, logger.child({ incidentId: incident.id }), signal);
      const outcome = await record(buildOutcome(incident.id, 'triage', started, report as ExecutionReport, proposal), 'agent');
      return { outcome, evidence: proposal.evidence.map((e) => redactText(e.fact)) };
    },
    async act(incident, action, cap, signal) {
      const started = Date.now();
      const proposal: RemediationProposal = {
        incidentId: incident.id,
        analyzer: 'mcp',
        rootCause: incident.title,
        confidence: action.confidence,
        evidence: [],
        escalate: { required: false },
        actions: [action],
      };
      await audit.write({ ts: new Date(started).toISOString(), type: 'incident.received', incidentId: incident.id, actor: 'agent', data: { title: incident.title, source: incident.source, details: incident.details } });
      const report = await withCap(cap).execute(incident, proposal, logger.child({ incidentId: incident.id }), signal);
      return { outcome: await record(buildOutcome(incident.id, 'triage', started, report as ExecutionReport, proposal), 'agent'), evidence: [] };
    },
    async decide(incidentId, approve, by, comment): Promise<ApprovalDecision> {
      const now = Date.now;
      const approval = (await running.safety.listApprovals(now())).filter((a) => a.incidentId === incidentId && (a.status === 'pending' || a.status === 'approved')).at(-1);
      if (!approval) return { status: 'refused', message: `no plan of session ${incidentId} is waiting for a decision` };
      const deps = { store: running.safety, audit, now };
      try {
        if (!approve) {
          await denyPlan(deps, approval.id, by, comment);
          return { status: 'denied' };
        }
        if (approval.status === 'pending') await approvePlan(deps, approval.id, by, approval.planHash);
        const started = now();
        try {
          const report = await executeApprovedPlan(approval.id, { ...running.execute, logger: logger.child({ incidentId, approvedBy: by }) });
          const outcome = await record({ ...buildOutcome(incidentId, 'approval', started, report), approval: { id: approval.id, planHash: approval.planHash } }, by);
          return { status: 'ran', result: { outcome, evidence: [] } };
        } catch (error) {
          if (!(error instanceof PolicyRefusal)) throw error;
          const outcome = await record({ incidentId, outcome: 'refused', run: 'approval', mode: 'approval', reasons: [error.message], commands: [], approval: { id: approval.id, planHash: approval.planHash }, timings: timings(started) }, by);
          return { status: 'refused', message: error.message, result: { outcome, evidence: [] } };
        }
      } catch (error) {
        return { status: 'refused', message: redactText((error as Error).message) };
      }
    },
    async readOutcome(incidentId) {
      const events = await reader.read({ incidentId, types: ['incident.outcome'], limit: 1 });
      return events.at(-1)?.data as IncidentOutcome | undefined;
    },
    close: () => reader.close(),
  };
}

function timings(started: number): IncidentOutcome['timings'] {
  return { receivedAt: new Date(started).toISOString(), totalMs: Date.now() - started };
}

/** How the run ended, from the execute stage's report (the pipeline will write this itself; see the file header). */
function buildOutcome(incidentId: string, run: OutcomeRun, started: number, report: ExecutionReport, proposal?: RemediationProposal): IncidentOutcome {
  const commands: OutcomeCommand[] = report.outcomes.map((o) => ({
    index: o.index,
    command: redactText(o.command),
    risk: o.level,
    decision: o.decision.kind,
    status: o.status,
    detail: redactText(o.detail),
    ...(o.execution ? { exitCode: o.execution.exitCode } : {}),
    ...(o.verdict ? { verdict: o.verdict.status } : {}),
    ...(o.rollback ? { rollback: { restored: o.rollback.restored, detail: redactText(o.rollback.detail) } } : {}),
  }));
  const statuses = report.outcomes.map((o) => o.status);
  let kind: OutcomeKind;
  if (report.mode === 'plan') kind = statuses.length && statuses.every((s) => s === 'refused') ? 'refused' : statuses.length ? 'previewed' : report.escalate ? 'escalated' : 'no_action';
  else if (report.approval) kind = 'awaiting_approval';
  else if (statuses.includes('rolled-back')) kind = 'rolled_back';
  else if (statuses.includes('refused')) kind = 'refused';
  else if (report.escalate) kind = 'escalated';
  else kind = statuses.length ? 'fixed' : 'no_action';
  return {
    incidentId,
    outcome: kind,
    run,
    mode: report.mode,
    ...(proposal ? { analyzer: proposal.analyzer, rootCause: redactText(proposal.rootCause), confidence: proposal.confidence } : {}),
    ...(proposal?.target ? { target: { kind: proposal.target.kind ?? 'Namespace', namespace: proposal.target.namespace, name: proposal.target.name ?? proposal.target.namespace } } : {}),
    reasons: report.escalationReasons.map((r) => redactText(r)),
    ...(report.approval ? { approval: { id: report.approval.id, planHash: report.approval.planHash } } : {}),
    commands,
    timings: timings(started),
    ...(proposal?.usage ? { tokens: { input: proposal.usage.inputTokens, output: proposal.usage.outputTokens } } : {}),
  };
}
