import { z } from 'zod';
import type { Incident } from '../domain/incident.js';

// What a job carries through Redis. Parsed again by the worker: a job written by an older or newer version,
// or by hand, must fail loudly as invalid input rather than half-run.

export const QUEUE_NAME = 'incidents';

const incidentSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  number: z.number().int().optional(),
  status: z.string().optional(),
  urgency: z.string().optional(),
  priority: z.string().optional(),
  htmlUrl: z.string().optional(),
  serviceId: z.string().optional(),
  serviceName: z.string().optional(),
  createdAt: z.string().optional(),
  details: z.record(z.unknown()),
  source: z.enum(['pagerduty', 'mcp', 'cli', 'test-yolo']),
}) satisfies z.ZodType<Incident>;

/** Where the job came from: the delivery and event it was made from. */
const originSchema = z.object({
  /** Keys the job: the signed event id (a replay with a fresh X-Webhook-Id maps to the same job). */
  deliveryId: z.string().min(1),
  /** The unsigned X-Webhook-Id header, when it differs from deliveryId. */
  webhookId: z.string().optional(),
  eventId: z.string().min(1),
  eventType: z.string().min(1),
  occurredAt: z.string(),
  receivedAt: z.string(),
});

/** Diagnose and (maybe) remediate an incident: incident.triggered / incident.reopened. */
export const triageJobSchema = z.object({ kind: z.literal('triage'), incident: incidentSchema, origin: originSchema });

/** The incident changed state (acknowledged / resolved); later stages give this meaning. */
export const lifecycleJobSchema = z.object({
  kind: z.literal('lifecycle'),
  incident: incidentSchema,
  status: z.enum(['acknowledged', 'resolved']),
  /** Who made the change (the webhook's `agent`): tells a human's acknowledgement from the agent's own. */
  agent: z.object({ id: z.string().optional(), type: z.string().optional(), summary: z.string().optional() }).optional(),
  origin: originSchema,
});

/** A note was added to an incident; kept for approvals given as PagerDuty notes. */
export const annotationJobSchema = z.object({
  kind: z.literal('annotation'),
  incidentId: z.string().min(1),
  noteId: z.string().min(1),
  content: z.string(),
  author: z.object({ id: z.string().optional(), summary: z.string().optional() }).optional(),
  origin: originSchema,
});

const refSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,120}$/);

/** One PagerDuty write of a write-back job; `ref` is its idempotency key (also the note's last line). */
export const writebackStepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('note'), ref: refSchema, noteKind: z.string().max(40), content: z.string().min(1).max(16_000) }),
  z.object({ type: z.literal('acknowledge'), ref: refSchema }),
  /** Resolve only if a fresh read of the target shows the symptom gone; a resolution note goes first. */
  z.object({
    type: z.literal('resolve'),
    ref: refSchema,
    target: z.object({ kind: z.string().min(1), namespace: z.string().optional(), name: z.string().min(1) }),
    toVerifiedFixMs: z.number().optional(),
  }),
  z.object({
    type: z.literal('change'),
    ref: refSchema,
    summary: z.string().min(1).max(1_024),
    timestamp: z.string(),
    customDetails: z.record(z.unknown()),
  }),
]);

/**
 * PagerDuty write-back (notes, acknowledge, resolve, change events): its own job, so a PagerDuty outage delays the
 * notes and never the remediation. Carries its own retry policy, longer than a triage job's, and gives up at giveUpAt.
 */
export const writebackJobSchema = z.object({
  kind: z.literal('writeback'),
  incidentId: z.string().min(1),
  /** Unique per run and purpose ("<incident>.<run>.outcome"); the job id derives from it, so an equal job is stored once. */
  key: refSchema,
  steps: z.array(writebackStepSchema).min(1).max(40),
  createdAt: z.string(),
  giveUpAt: z.string(),
  retry: z.object({ attempts: z.number().int().min(1).max(1_000), backoffMs: z.number().int().min(1), maxBackoffMs: z.number().int().min(1) }),
});

/**
 * A human decided a pending plan, through any channel (CLI, HTTP, a PagerDuty note, the web page, MCP). The worker
 * records the decision and, for an approval, runs the plan under the daemon's settings, never the channel's.
 */
export const approvalJobSchema = z.object({
  kind: z.literal('approval'),
  approvalId: z.string().min(1),
  /** The incident of the plan, when the channel knows it (for log lines). */
  incidentId: z.string().min(1).optional(),
  decision: z.enum(['approve', 'deny']),
  /** The hash the human reviewed; an approval of a plan that changed since is refused. */
  planHash: z.string(),
  by: z.string().min(1),
  reason: z.string().max(2_000).optional(),
  /** false: record the approval only; run it with a later decision. Default true. */
  execute: z.boolean().optional(),
  /** "cli", "http", "pagerduty", "web", "mcp". */
  channel: z.string().min(1),
  origin: originSchema,
});

export const incidentJobSchema = z.discriminatedUnion('kind', [triageJobSchema, lifecycleJobSchema, annotationJobSchema, approvalJobSchema, writebackJobSchema]);

export type TriageJobData = z.infer<typeof triageJobSchema>;
export type LifecycleJobData = z.infer<typeof lifecycleJobSchema>;
export type AnnotationJobData = z.infer<typeof annotationJobSchema>;
export type WritebackJobData = z.infer<typeof writebackJobSchema>;
export type WritebackStep = z.infer<typeof writebackStepSchema>;
export type ApprovalJobData = z.infer<typeof approvalJobSchema>;
export type IncidentJobData = z.infer<typeof incidentJobSchema>;

/** The incident a job is about, for log lines and coalescing. */
export function jobIncidentId(job: IncidentJobData): string {
  if (job.kind === 'annotation' || job.kind === 'writeback') return job.incidentId;
  if (job.kind === 'approval') return job.incidentId ?? job.approvalId;
  return job.incident.id;
}
