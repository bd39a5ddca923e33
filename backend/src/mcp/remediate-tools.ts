// remediate, get_remediation and approve_remediation: the remediation-tool contract over the shared pipeline.
import { randomUUID } from 'node:crypto';
import { z } from 'zod/v4';
import type { ExecutionMode } from '../domain/decision.js';
import type { Incident } from '../domain/incident.js';
import { nameSchema, namespaceSchema } from '../tools/schemas.js';
import { defineMcpTool, READ_ONLY_HINTS, type McpTool, type ToolAnswer } from './mcp-tool.js';
import type { McpToolDeps } from './mcp-tool-deps.js';
import { stricterMode } from './remediation-engine.js';
import { pendingOutput, remediateOutputSchema, toRemediateOutput, type RemediateOutput } from './remediate-output.js';
import type { RemediationSession } from './remediation-sessions.js';

export const sessionIdSchema = z.string().regex(/^mcp-[a-z0-9-]{8,64}$/, 'must be a sessionId returned by remediate or an action tool').describe('sessionId from remediate or an action tool');

const remediateInput = z.strictObject({
  issue: z.string().trim().min(3, 'must describe the problem (3 characters or more)').max(2_000, 'must be at most 2000 characters').describe('What is wrong, in words (untrusted text, treated like alert text)'),
  context: z
    .strictObject({
      namespace: namespaceSchema.optional(),
      workload: nameSchema.describe('Deployment (or other workload) name').optional(),
      pod: nameSchema.describe('Pod name').optional(),
      event: z.string().max(2_000, 'must be at most 2000 characters').optional().describe('An event or alert message'),
      logs: z.array(z.string().max(2_000, 'each line must be at most 2000 characters')).max(50, 'at most 50 lines').optional().describe('Log lines'),
    })
    .optional(),
  mode: z.enum(['manual', 'automatic']).default('manual').describe('manual: plan only, nothing executed (default). automatic: the same pipeline as a PagerDuty incident, within EXECUTION_MODE, MODE_OVERRIDES and MCP_EXECUTION_MODE'),
  policy: z.enum(['plan', 'approval', 'yolo']).optional().describe('Narrow the mode further for this call (it can never widen it)'),
});

/** A finished run as the contract's answer, with the JSON also as text for clients that read only text. */
export function answer(output: Record<string, unknown>, isError = false): ToolAnswer {
  return { text: JSON.stringify(output), structured: output, ...(isError ? { isError } : {}) };
}

function sessionAnswer(session: RemediationSession): ToolAnswer {
  if (session.result) return answer(toRemediateOutput(session.id, session.result.outcome, session.result.evidence));
  if (session.error) return { text: `session ${session.id} failed without an outcome: ${session.error}`, isError: true };
  return answer(pendingOutput(session.id));
}

export function createRemediateTools(deps: McpToolDeps): McpTool[] {
  const newId = deps.newSessionId ?? (() => `mcp-${randomUUID()}`);
  const remediate = defineMcpTool({
    name: 'remediate',
    title: 'Remediate',
    description:
      'Diagnose a Kubernetes problem and propose (manual) or carry out (automatic) a fix through the agent\'s pipeline: risk scoring, mode policy, circuit breaker, kill switch, locks, verification, rollback and audit. Waits for the outcome up to a bound, then returns status "pending" with a sessionId for get_remediation.',
    inputSchema: remediateInput,
    outputSchema: remediateOutputSchema,
    hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    async handler(input, ctx) {
      const id = newId();
      let cap: ExecutionMode = input.mode === 'manual' ? 'plan' : deps.settings.modeCap;
      if (input.policy) cap = stricterMode(cap, input.policy);
      const c = input.context ?? {};
      const incident: Incident = {
        id,
        title: input.issue,
        source: 'mcp',
        details: {
          ...(c.namespace ? { namespace: c.namespace } : {}),
          ...(c.workload ? { deployment: c.workload } : {}),
          ...(c.pod ? { pod: c.pod } : {}),
          ...(c.event ? { event: c.event } : {}),
          ...(c.logs ? { logs: c.logs } : {}),
          requestedBy: ctx.actor,
          mode: input.mode,
        },
      };
      const session = deps.sessions.start(id, 'remediate', () => deps.engine.triage(incident, cap, new AbortController().signal));
      await deps.sessions.waitFor(session, deps.settings.waitMs, ctx.progress);
      return sessionAnswer(session);
    },
  });

  const getRemediation = defineMcpTool({
    name: 'get_remediation',
    title: 'Get remediation',
    description: 'The current status and results of a remediate or action-tool session.',
    inputSchema: z.strictObject({ sessionId: sessionIdSchema }),
    outputSchema: remediateOutputSchema,
    hints: READ_ONLY_HINTS,
    async handler({ sessionId }) {
      const session = deps.sessions.get(sessionId);
      if (session && !session.result && !session.error) return sessionAnswer(session);
      // A finished run is read from the audit trail: it may have been approved and run since (here or elsewhere).
      const recorded = await deps.engine.readOutcome(sessionId);
      if (recorded) return answer(toRemediateOutput(sessionId, recorded, session?.result?.evidence));
      if (session) return sessionAnswer(session);
      return { text: `sessionId: no session ${sessionId} is known here or in the audit trail`, isError: true };
    },
  });

  const approveRemediation = defineMcpTool({
    name: 'approve_remediation',
    title: 'Approve remediation',
    description:
      'Approve (and run, exactly as planned) or deny the plan a session is waiting on, through the same approval decision as the CLI and the approvals page. Off unless MCP_ALLOW_APPROVE=true.',
    inputSchema: z.strictObject({
      sessionId: sessionIdSchema,
      approve: z.boolean().describe('true approves and runs the plan; false denies it'),
      comment: z.string().max(500, 'must be at most 500 characters').optional().describe('Why (recorded in the audit trail)'),
    }),
    outputSchema: remediateOutputSchema,
    hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    async handler({ sessionId, approve, comment }, ctx) {
      if (!deps.settings.allowApprove) {
        return { text: 'approve_remediation is off (MCP_ALLOW_APPROVE=false): approve with `oncall-agent approve` or the approvals page', isError: true };
      }
      const decision = await deps.engine.decide(sessionId, approve, `mcp:${ctx.actor}`, comment);
      if (decision.status === 'denied') {
        const recorded = await deps.engine.readOutcome(sessionId);
        const base: RemediateOutput = recorded ? toRemediateOutput(sessionId, recorded) : pendingOutput(sessionId);
        return answer({ ...base, status: 'failed', remediation: { ...base.remediation, summary: `denied by ${ctx.actor}: nothing executed` } });
      }
      if (decision.status === 'pending') {
        const waiting = pendingOutput(sessionId);
        return answer({ ...waiting, remediation: { ...waiting.remediation, summary: `${decision.message ?? 'the decision is queued'}; call get_remediation for the outcome` } });
      }
      if (decision.result) return answer(toRemediateOutput(sessionId, decision.result.outcome));
      return { text: `approve_remediation refused: ${decision.message ?? 'unknown reason'}`, isError: true };
    },
  });

  return [remediate, getRemediation, approveRemediation];
}
