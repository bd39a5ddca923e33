// Pure: the `remediate` answer (the remediation-tool contract) and the action tools' answer, read from the run's
// IncidentOutcome. Nothing here re-derives how the run ended.
import { z } from 'zod/v4';
import type { IncidentOutcome, OutcomeKind } from '../domain/outcome.js';
import type { RiskLevel } from '../domain/risk.js';

const RISK_ORDER: RiskLevel[] = ['low', 'medium', 'high', 'forbidden'];
const riskLevel = z.enum(['low', 'medium', 'high', 'forbidden']);
const decisionKind = z.enum(['execute', 'approval', 'skip', 'refuse', 'preview']);

export const remediateOutputSchema = z.object({
  status: z.enum(['success', 'pending', 'failed']),
  sessionId: z.string(),
  outcome: z.enum(['fixed', 'rolled_back', 'escalated', 'awaiting_approval', 'previewed', 'refused', 'no_action', 'running']).describe('The pipeline outcome (running: not finished yet)'),
  analysis: z.object({ rootCause: z.string(), confidence: z.number(), factors: z.array(z.string()) }),
  remediation: z.object({
    summary: z.string(),
    actions: z.array(z.object({ command: z.string(), risk: riskLevel, decision: decisionKind })),
    risk: riskLevel.optional(),
  }),
  executed: z.boolean().optional(),
  results: z.array(z.object({ command: z.string(), exitCode: z.number(), verified: z.boolean(), detail: z.string() })).optional(),
  approval: z.object({ id: z.string(), planHash: z.string() }).optional(),
});
export type RemediateOutput = z.infer<typeof remediateOutputSchema>;

export const actionOutputSchema = z.object({
  status: z.enum(['success', 'pending', 'failed']),
  sessionId: z.string(),
  outcome: remediateOutputSchema.shape.outcome,
  command: z.string(),
  risk: riskLevel.optional(),
  decision: decisionKind.optional(),
  result: z.object({ status: z.string(), detail: z.string(), exitCode: z.number().optional() }).optional(),
  verification: z.object({ status: z.enum(['verified', 'failed', 'unverifiable', 'inconclusive']), rolledBack: z.boolean().optional() }).optional(),
  reasons: z.array(z.string()),
});
export type ActionOutput = z.infer<typeof actionOutputSchema>;

const STATUS: Record<OutcomeKind, RemediateOutput['status']> = {
  fixed: 'success',
  previewed: 'success',
  no_action: 'success',
  awaiting_approval: 'pending',
  rolled_back: 'failed',
  escalated: 'failed',
  refused: 'failed',
};

/** Commands that actually ran (an exit code was recorded), in order. */
function ranCommands(outcome: IncidentOutcome) {
  return outcome.commands.filter((c) => c.exitCode !== undefined);
}

function summarize(outcome: IncidentOutcome): string {
  const n = outcome.commands.length;
  const ran = ranCommands(outcome).length;
  switch (outcome.outcome) {
    case 'previewed':
      return `plan only (${outcome.mode} mode): ${n} command(s) previewed, nothing executed`;
    case 'fixed':
      return `fixed: ${ran} command(s) executed and verified`;
    case 'awaiting_approval':
      return `waiting for a human to approve ${outcome.commands.filter((c) => c.status === 'awaiting-approval').length || n} command(s)${outcome.approval ? ` (approval ${outcome.approval.id})` : ''}`;
    case 'rolled_back':
      return 'a verification failed and the change was rolled back';
    case 'refused':
      return `refused by policy: ${outcome.reasons[0] ?? 'see the commands'}`;
    case 'escalated':
      return `handed to a human: ${outcome.reasons[0] ?? 'no safe automatic fix'}`;
    case 'no_action':
      return 'nothing to do';
  }
}

/** The remediate answer for a finished run. */
export function toRemediateOutput(sessionId: string, outcome: IncidentOutcome, evidence: readonly string[] = []): RemediateOutput {
  const risks = outcome.commands.map((c) => c.risk);
  const ran = ranCommands(outcome);
  return {
    status: STATUS[outcome.outcome],
    sessionId,
    outcome: outcome.outcome,
    analysis: { rootCause: outcome.rootCause ?? 'unknown', confidence: outcome.confidence ?? 0, factors: [...evidence, ...outcome.reasons].slice(0, 20) },
    remediation: {
      summary: summarize(outcome),
      actions: outcome.commands.map((c) => ({ command: c.command, risk: c.risk, decision: c.decision })),
      ...(risks.length ? { risk: risks.reduce((a, b) => (RISK_ORDER.indexOf(a) >= RISK_ORDER.indexOf(b) ? a : b)) } : {}),
    },
    executed: ran.length > 0,
    ...(ran.length ? { results: ran.map((c) => ({ command: c.command, exitCode: c.exitCode ?? -1, verified: c.verdict === 'verified', detail: c.detail })) } : {}),
    ...(outcome.approval ? { approval: outcome.approval } : {}),
  };
}

/** The answer while the run has not finished within the wait bound. */
export function pendingOutput(sessionId: string): RemediateOutput {
  return {
    status: 'pending',
    sessionId,
    outcome: 'running',
    analysis: { rootCause: 'not known yet', confidence: 0, factors: [] },
    remediation: { summary: `still running; call get_remediation with sessionId ${sessionId}`, actions: [] },
  };
}

/** An action tool's answer: risk, decision, result and verification of its one command. */
export function toActionOutput(sessionId: string, command: string, outcome: IncidentOutcome | undefined): ActionOutput {
  if (!outcome) return { status: 'pending', sessionId, outcome: 'running', command, reasons: [`still running; call get_remediation with sessionId ${sessionId}`] };
  const c = outcome.commands[0];
  return {
    status: STATUS[outcome.outcome],
    sessionId,
    outcome: outcome.outcome,
    command: c?.command ?? command,
    ...(c ? { risk: c.risk, decision: c.decision, result: { status: c.status, detail: c.detail, ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}) } } : {}),
    ...(c?.verdict ? { verification: { status: c.verdict, ...(c.rollback ? { rolledBack: c.rollback.restored } : {}) } } : {}),
    reasons: outcome.reasons,
  };
}
