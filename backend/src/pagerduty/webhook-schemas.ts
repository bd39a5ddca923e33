import { z } from 'zod';

// PagerDuty V3 webhook payloads (developer.pagerduty.com, "Webhooks v3 overview"). Every payload holds a single
// event; event.data depends on event.event_type. Unknown fields pass through and unknown event types parse fine:
// PagerDuty adds event types over time and an unknown one must never be an error.

/** A PagerDuty reference object ({ id, type, summary, self, html_url }). */
export const referenceSchema = z
  .object({
    id: z.string().min(1).max(256),
    type: z.string().max(256).optional(),
    summary: z.string().max(65_536).nullish(),
    self: z.string().max(2_048).nullish(),
    html_url: z.string().max(2_048).nullish(),
  })
  .passthrough();

export const webhookEventSchema = z
  .object({
    id: z.string().min(1).max(256),
    event_type: z.string().min(1).max(256),
    resource_type: z.string().min(1).max(256),
    occurred_at: z.string().min(1).max(64),
    // Documented as objects, and null for system events (e.g. service.updated).
    agent: z.record(z.unknown()).nullish(),
    client: z.record(z.unknown()).nullish(),
    data: z.unknown(),
  })
  .passthrough();

/** The V3 envelope: `{ event: { id, event_type, resource_type, occurred_at, agent, client, data } }`. */
export const webhookEnvelopeSchema = z.object({ event: webhookEventSchema }).passthrough();

export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** Incident titles longer than this are cut (PagerDuty's own limit is far lower); a long title never refuses a page. */
export const MAX_TITLE_LENGTH = 8_192;

/**
 * An optional field we only use for context: when PagerDuty sends an unexpected shape for it, the field is dropped
 * rather than the page refused. Only the incident's id and type decide whether a delivery is an incident at all.
 */
const lenient = <T extends z.ZodTypeAny>(schema: T) => schema.nullish().catch(undefined);

/** event.data when data.type is "incident" (incident.triggered, acknowledged, resolved, reopened, …). */
export const incidentDataSchema = z
  .object({
    id: z.string().min(1).max(256),
    type: z.literal('incident'),
    self: lenient(z.string().max(2_048)),
    html_url: lenient(z.string().max(2_048)),
    number: lenient(z.number().int()),
    status: lenient(z.string().max(64)),
    incident_key: lenient(z.string().max(1_024)),
    created_at: lenient(z.string().max(64)),
    title: lenient(z.string().transform((t) => (t.length > MAX_TITLE_LENGTH ? `${t.slice(0, MAX_TITLE_LENGTH)}… [title cut]` : t))),
    service: lenient(referenceSchema),
    assignees: lenient(z.array(referenceSchema)),
    escalation_policy: lenient(referenceSchema),
    teams: lenient(z.array(referenceSchema)),
    priority: lenient(referenceSchema),
    urgency: lenient(z.string().max(64)),
    conference_bridge: z.unknown().optional(),
    resolve_reason: z.unknown().optional(),
  })
  .passthrough();

export type IncidentData = z.infer<typeof incidentDataSchema>;

/**
 * The same incident, every optional field well-formed: what PagerDuty nearly always sends. Parsing it first keeps the
 * webhook's hot path cheap (each `.catch()` above costs a fallback context per field, ≈3× the whole parse); only a
 * payload it refuses goes through the lenient schema, which gives the same result for anything this one accepts.
 */
const wellFormedIncidentDataSchema = z
  .object({
    id: z.string().min(1).max(256),
    type: z.literal('incident'),
    self: z.string().max(2_048).nullish(),
    html_url: z.string().max(2_048).nullish(),
    number: z.number().int().nullish(),
    status: z.string().max(64).nullish(),
    incident_key: z.string().max(1_024).nullish(),
    created_at: z.string().max(64).nullish(),
    title: z.string().max(MAX_TITLE_LENGTH).nullish(),
    service: referenceSchema.nullish(),
    assignees: z.array(referenceSchema).nullish(),
    escalation_policy: referenceSchema.nullish(),
    teams: z.array(referenceSchema).nullish(),
    priority: referenceSchema.nullish(),
    urgency: z.string().max(64).nullish(),
    conference_bridge: z.unknown().optional(),
    resolve_reason: z.unknown().optional(),
  })
  .passthrough();

/** event.data as an incident: the well-formed fast path, else the lenient schema (which also reports the refusal). */
export function parseIncidentData(data: unknown): ReturnType<typeof incidentDataSchema.safeParse> {
  const fast = wellFormedIncidentDataSchema.safeParse(data);
  return fast.success ? (fast as ReturnType<typeof incidentDataSchema.safeParse>) : incidentDataSchema.safeParse(data);
}

/** event.data of incident.annotated (data.type "incident_note"). */
export const incidentNoteDataSchema = z
  .object({
    id: z.string().min(1).max(256),
    type: z.literal('incident_note'),
    incident: referenceSchema,
    content: z.string().max(262_144),
    trimmed: z.boolean().optional(),
  })
  .passthrough();

export type IncidentNoteData = z.infer<typeof incidentNoteDataSchema>;

/** Event types the agent acts on; every other type is acknowledged and recorded only. */
export const TRIAGE_EVENT_TYPES = ['incident.triggered', 'incident.reopened'] as const;
export const LIFECYCLE_EVENT_TYPES = ['incident.acknowledged', 'incident.resolved'] as const;
export const ANNOTATION_EVENT_TYPE = 'incident.annotated';
