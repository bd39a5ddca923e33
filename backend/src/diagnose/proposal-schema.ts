import { z } from 'zod/v4';
import type { EscalationDetail, Evidence, Postcondition, ProposedAction } from '../domain/proposal.js';
import { namespaceSchema, nameSchema, labelSelectorSchema } from '../tools/schemas.js';

// The proposal as the model writes it (the propose_remediation tool's input), and its normalisation into the domain
// type. Lenient where harmless (one postcondition or a list; escalate as a boolean or an object), strict where it
// matters (a command is one kubectl line with no shell syntax; numbers in range; bounded lengths).

export const MAX_ACTIONS = 5;

const postconditionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('rolloutComplete'), namespace: namespaceSchema, deployment: nameSchema }),
  z.object({ type: z.literal('podsReady'), namespace: namespaceSchema, selector: labelSelectorSchema, minReady: z.number().int().min(1).max(10_000) }),
  z.object({ type: z.literal('replicasAtLeast'), namespace: namespaceSchema, deployment: nameSchema, n: z.number().int().min(1).max(10_000) }),
  z.object({ type: z.literal('noCrashLoop'), namespace: namespaceSchema, selector: labelSelectorSchema, windowSeconds: z.number().int().min(1).max(3_600) }),
  z.object({ type: z.literal('nodeSchedulable'), node: nameSchema }),
  z.object({ type: z.literal('endpointsReady'), namespace: namespaceSchema, service: nameSchema }),
  z.object({ type: z.literal('none') }),
]);

/** Characters that only mean something to a shell: a command containing them is rejected, never "cleaned". */
const SHELL_SYNTAX = /[|;&<>`$\\\n\r]|\$\(/;

export const commandSchema = z
  .string()
  .min(9)
  .max(500)
  .refine((c) => /^kubectl\s+\S/.test(c.trim()), 'must be a single kubectl command starting with "kubectl"')
  .refine((c) => !SHELL_SYNTAX.test(c), 'must not contain shell syntax (pipes, redirects, ;, &, $, backticks, newlines)')
  .describe('One kubectl command line, no pipes and no shell, e.g. "kubectl rollout undo deployment/web -n shop"');

const actionSchema = z.object({
  command: commandSchema,
  description: z.string().min(1).max(500),
  confidence: z.number().min(0).max(1),
  expectedEffect: z.string().min(1).max(500),
  postcondition: z.union([postconditionSchema, z.array(postconditionSchema).min(1).max(4)]).describe('How to verify the action: one check or a list'),
});

export const proposalInputSchema = z
  .object({
    rootCause: z.string().min(1).max(2_000),
    confidence: z.number().min(0).max(1),
    evidence: z
      .array(z.object({ fact: z.string().min(1).max(500), source: z.string().min(1).max(120).describe('The tool result the fact came from, e.g. "get_pod_status web-1"') }))
      .max(20),
    escalate: z.union([z.boolean(), z.object({ required: z.boolean(), reason: z.string().max(1_000).optional() })]),
    escalationReason: z.string().max(1_000).optional(),
    actions: z.array(actionSchema).max(MAX_ACTIONS),
    alreadyHealthy: z
      .boolean()
      .optional()
      .describe('true only when the evidence shows the target is healthy now and nothing needs doing: no actions, no escalation'),
  })
  // Nothing to do and nobody told is allowed only as an explicit, evidenced "already healthy": a model that simply
  // returns nothing must not make an incident vanish.
  .refine((p) => p.actions.length > 0 || (typeof p.escalate === 'boolean' ? p.escalate : p.escalate.required) || (p.alreadyHealthy === true && p.evidence.length > 0), {
    message: 'a proposal with no actions must escalate (escalate: true with a reason), or say alreadyHealthy: true with the evidence',
    path: ['escalate'],
  });

export interface NormalisedProposal {
  rootCause: string;
  confidence: number;
  evidence: Evidence[];
  escalate: EscalationDetail;
  actions: ProposedAction[];
}

export type ProposalValidation = { ok: true; proposal: NormalisedProposal } | { ok: false; errors: string[] };

/** Validates model output and normalises it into the domain shape. */
export function validateProposalInput(input: unknown): ProposalValidation {
  const parsed = proposalInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'proposal'}: ${i.message}`) };
  }
  const p = parsed.data;
  const escalate = typeof p.escalate === 'boolean' ? { required: p.escalate, reason: p.escalationReason } : { ...p.escalate, reason: p.escalate.reason ?? p.escalationReason };
  return {
    ok: true,
    proposal: {
      rootCause: p.rootCause,
      confidence: p.confidence,
      evidence: p.evidence,
      escalate: escalate.reason ? escalate : { required: escalate.required },
      actions: p.actions.map((a) => ({
        command: a.command.trim().replace(/\s+/g, ' '),
        description: a.description,
        confidence: a.confidence,
        expectedEffect: a.expectedEffect,
        postconditions: normalisePostconditions(a.postcondition),
      })),
    },
  };
}

function normalisePostconditions(value: Postcondition | Postcondition[] | undefined): Postcondition[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.length ? list : [{ type: 'none' }];
}

/** JSON Schema of the propose_remediation tool's input. */
export function proposalJsonSchema(): Record<string, unknown> {
  const { $schema: _s, ...schema } = z.toJSONSchema(proposalInputSchema, { unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>;
  return schema;
}

/**
 * The whole domain RemediationProposal (as it leaves diagnosis and travels through the queue, the audit trail and
 * MCP): strict, so a bug in an analyzer cannot hand a malformed proposal to the execute stage.
 */
export const remediationProposalSchema = z.object({
  incidentId: z.string().min(1),
  analyzer: z.enum(['claude', 'runbook']),
  target: z
    .object({
      namespace: z.string(),
      kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'Service', 'Node']).optional(),
      name: z.string().optional(),
      selector: z.string().optional(),
      resolvedFrom: z.string().optional(),
    })
    .optional(),
  rootCause: z.string(),
  confidence: z.number().min(0).max(1),
  evidence: z.array(z.object({ fact: z.string(), source: z.string() })),
  escalate: z.object({ required: z.boolean(), reason: z.string().optional(), humanStep: z.string().max(2_000).optional(), wouldDo: z.string().max(2_000).optional() }),
  actions: z.array(
    z.object({
      command: commandSchema,
      description: z.string(),
      confidence: z.number().min(0).max(1),
      expectedEffect: z.string(),
      postconditions: z.array(postconditionSchema).min(1),
    }),
  ),
  usage: z
    .object({
      inputTokens: z.number(),
      outputTokens: z.number(),
      cacheReadTokens: z.number(),
      cacheCreationTokens: z.number(),
      latencyMs: z.number(),
      rounds: z.number(),
      model: z.string().optional(),
    })
    .optional(),
  error: z.string().optional(),
  retryable: z.boolean().optional(),
  fallbackReason: z.string().optional(),
});
