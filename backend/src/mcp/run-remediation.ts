// The RemediationEngine over the composition root: triage runs the triage pipeline (triageIncident) with the execute
// stage under the MCP mode cap; a bounded action is the same pipeline with the diagnosis replaced by the one command
// the client named; a decision is an `approval` job on the queue, run by a worker like every other channel's.
import type { AuditReader } from '../audit/audit-reader.js';
import { awaitApprovalResult, enqueueApprovalDecision } from '../app/approval-channel.js';
import type { Agent } from '../app/create-agent.js';
import type { ExecutionMode } from '../domain/decision.js';
import type { IncidentOutcome } from '../domain/outcome.js';
import type { RemediationProposal } from '../domain/proposal.js';
import { executeProposal } from '../execute/execute-proposal.js';
import type { Logger } from '../observability/logger.js';
import type { PipelineDeps } from '../pipeline/pipeline-deps.js';
import { triageIncident } from '../pipeline/triage-incident.js';
import type { IncidentQueue } from '../queue/incident-queue.js';
import { redactText } from '../redaction/redact.js';
import { capModes, type ApprovalDecision, type RemediationEngine } from './remediation-engine.js';

export interface EngineOptions {
  /** How long approve_remediation waits for the worker's decision before answering pending. */
  decisionWaitMs: number;
}

export function createRemediationEngine(agent: Agent, queue: IncidentQueue, reader: AuditReader, logger: Logger, options: EngineOptions): RemediationEngine {
  // The composition root's execute stage, with EXECUTION_MODE and MODE_OVERRIDES narrowed by the cap.
  const capped = (cap: ExecutionMode): PipelineDeps => ({
    ...agent.pipeline,
    execute: (incident, proposal, run) =>
      executeProposal({ ...agent.execute, config: capModes(agent.execute.config, cap), audit: run.audit, logger: run.logger, signal: run.signal }, incident, proposal),
  });

  return {
    async triage(incident, cap, signal) {
      const { proposal, outcome } = await triageIncident(incident, capped(cap), logger.child({ incidentId: incident.id }), signal);
      return { outcome, evidence: proposal.evidence.map((e) => redactText(e.fact)) };
    },
    async act(incident, action, cap, signal) {
      const proposal: RemediationProposal = {
        incidentId: incident.id,
        analyzer: 'mcp',
        rootCause: incident.title,
        confidence: action.confidence,
        evidence: [],
        escalate: { required: false },
        actions: [action],
      };
      const { outcome } = await triageIncident(incident, { ...capped(cap), diagnose: async () => proposal }, logger.child({ incidentId: incident.id }), signal);
      return { outcome, evidence: [] };
    },
    async decide(incidentId, approve, by, comment): Promise<ApprovalDecision> {
      const approval = (await agent.execute.approvals.listApprovals(Date.now()))
        .filter((a) => a.incidentId === incidentId && (a.status === 'pending' || a.status === 'approved'))
        .at(-1);
      if (!approval) return { status: 'refused', message: `no plan of session ${incidentId} is waiting for a decision` };
      const jobId = await enqueueApprovalDecision(queue, {
        approvalId: approval.id,
        incidentId,
        decision: approve ? 'approve' : 'deny',
        planHash: approval.planHash,
        by,
        ...(comment ? { reason: comment } : {}),
        channel: 'mcp',
      });
      const settled = await awaitApprovalResult(queue, jobId, options.decisionWaitMs);
      if (settled.state !== 'completed') {
        if (settled.state === 'failed') return { status: 'refused', message: redactText(settled.error) };
        return { status: 'pending', message: `the decision is queued (job ${jobId}); a worker runs it` };
      }
      const result = settled.result;
      if (result.status === 'denied') return { status: 'denied' };
      const outcome = result.outcome as IncidentOutcome | undefined;
      if (result.status === 'ran' && outcome) return { status: 'ran', result: { outcome, evidence: [] } };
      return { status: 'refused', message: result.message ?? `the decision was ${result.status}`, ...(outcome ? { result: { outcome, evidence: [] } } : {}) };
    },
    async readOutcome(incidentId) {
      const events = await reader.read({ incidentId, types: ['incident.outcome'], limit: 1 });
      return events.at(-1)?.data as IncidentOutcome | undefined;
    },
    close: () => reader.close(),
  };
}
