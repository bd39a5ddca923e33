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

/** The optional incident fields we read for context, each with the shape PagerDuty documents. */
const incidentContextFields = {
  self: z.string().max(2_048),
  html_url: z.string().max(2_048),
  number: z.number().int(),
  status: z.string().max(64),
  incident_key: z.string().max(1_024),
  created_at: z.string().max(64),
  service: referenceSchema,
  assignees: z.array(referenceSchema),
  escalation_policy: referenceSchema,
  teams: z.array(referenceSchema),
  priority: referenceSchema,
  urgency: z.string().max(64),
};
type ContextFields = typeof incidentContextFields;

/** The incident schema with each context field wrapped by `wrap`; id and type alone decide what is an incident. */
function incidentSchemaWith<W extends z.ZodTypeAny, T extends z.ZodTypeAny>(wrap: <S extends z.ZodTypeAny>(field: S) => W, title: T) {
  const context = Object.fromEntries(Object.entries(incidentContextFields).map(([k, v]) => [k, wrap(v)])) as { [K in keyof ContextFields]: W };
  return z
    .object({
      id: z.string().min(1).max(256),
      type: z.literal('incident'),
      ...context,
      title,
      conference_bridge: z.unknown().optional(),
      resolve_reason: z.unknown().optional(),
    })
    .passthrough();
}

/**
 * event.data when data.type is "incident" (incident.triggered, acknowledged, resolved, reopened, …). A context field
 * of an unexpected shape is dropped rather than the page refused, and an over-long title is cut.
 */
export const incidentDataSchema = incidentSchemaWith(
  (field) => field.nullish().catch(undefined) as z.ZodTypeAny,
  z
    .string()
    .transform((t) => (t.length > MAX_TITLE_LENGTH ? `${t.slice(0, MAX_TITLE_LENGTH)}… [title cut]` : t))
    .nullish()
    .catch(undefined),
);

export type IncidentData = {
  id: string;
  type: 'incident';
  title?: string | null;
} & { [K in keyof ContextFields]?: z.infer<ContextFields[K]> | null } & Record<string, unknown>;

/**
 * The same incident with every context field well-formed: what PagerDuty nearly always sends. Parsing it first keeps
 * the webhook's hot path cheap (each `.catch()` costs a fallback context per field, ≈3× the whole parse); only a
 * payload it refuses goes through the lenient schema, which gives the same result for anything this one accepts.
 */
const wellFormedIncidentDataSchema = incidentSchemaWith((field) => field.nullish() as z.ZodTypeAny, z.string().max(MAX_TITLE_LENGTH).nullish());

/** event.data as an incident: the well-formed fast path, else the lenient schema (which also reports the refusal). */
export function parseIncidentData(data: unknown): { success: true; data: IncidentData } | { success: false; error: z.ZodError } {
  const fast = wellFormedIncidentDataSchema.safeParse(data);
  const result = fast.success ? fast : incidentDataSchema.safeParse(data);
  return result.success ? { success: true, data: result.data as IncidentData } : { success: false, error: result.error };
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
