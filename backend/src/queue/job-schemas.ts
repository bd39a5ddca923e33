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
  deliveryId: z.string().min(1),
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

export const incidentJobSchema = z.discriminatedUnion('kind', [triageJobSchema, lifecycleJobSchema, annotationJobSchema, approvalJobSchema]);

export type TriageJobData = z.infer<typeof triageJobSchema>;
export type LifecycleJobData = z.infer<typeof lifecycleJobSchema>;
export type AnnotationJobData = z.infer<typeof annotationJobSchema>;
export type ApprovalJobData = z.infer<typeof approvalJobSchema>;
export type IncidentJobData = z.infer<typeof incidentJobSchema>;

/** The incident a job is about, for log lines and coalescing. */
export function jobIncidentId(job: IncidentJobData): string {
  if (job.kind === 'annotation') return job.incidentId;
  if (job.kind === 'approval') return job.incidentId ?? job.approvalId;
  return job.incident.id;
}
