// An alert file for `oncall-agent plan`: a PagerDuty V3 webhook body, or an Events v2 payload whose custom_details
// name the target. Validated with zod; everything in it stays untrusted text.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InvalidInputError } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import { TRIAGE_EVENT_TYPES } from '../pagerduty/webhook-schemas.js';

const MAX_ALERT_BYTES = 1_048_576;

const webhookV3 = z.object({
  event: z.object({
    event_type: z.string(),
    data: z
      .object({
        id: z.string().min(1),
        type: z.string().optional(),
        title: z.string().optional(),
        number: z.number().optional(),
        status: z.string().optional(),
        urgency: z.string().optional(),
        priority: z.object({ summary: z.string().optional() }).passthrough().nullable().optional(),
        html_url: z.string().optional(),
        created_at: z.string().optional(),
        service: z.object({ id: z.string().optional(), summary: z.string().optional() }).passthrough().nullable().optional(),
      })
      .passthrough(),
  }),
});

const eventsV2 = z.object({
  event_action: z.string().optional(),
  dedup_key: z.string().optional(),
  payload: z
    .object({
      summary: z.string().min(1),
      source: z.string().optional(),
      severity: z.string().optional(),
      custom_details: z.unknown().optional(),
    })
    .passthrough(),
});

/**
 * A valid delivery that the daemon would not triage (a ping, an acknowledge, a resolve, an Events v2 resolve): said
 * as that, not as an invalid body, and never diagnosed as if the incident were open.
 */
function refuseNonTriage(body: unknown, name: string): void {
  const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const event = record.event && typeof record.event === 'object' ? (record.event as Record<string, unknown>) : undefined;
  const type = event?.event_type;
  if (typeof type === 'string' && !(TRIAGE_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new InvalidInputError(
      `${name} is a PagerDuty V3 ${type} event: the daemon starts no triage for it (only for ${TRIAGE_EVENT_TYPES.join(' and ')}), so there is nothing to plan`,
    );
  }
  const action = record.event_action;
  if (record.payload !== undefined && typeof action === 'string' && action !== 'trigger') {
    throw new InvalidInputError(`${name} is an Events v2 "${action}" event: only "trigger" opens an incident to diagnose, so there is nothing to plan`);
  }
}

/** Turns the parsed JSON of an alert file into an Incident, or says clearly what the file is not. */
export function incidentFromAlert(body: unknown, name = 'alert file'): Incident {
  refuseNonTriage(body, name);
  const v3 = webhookV3.safeParse(body);
  if (v3.success) {
    const d = v3.data.event.data;
    return {
      id: d.id,
      title: d.title ?? `incident ${d.id}`,
      number: d.number,
      status: d.status,
      urgency: d.urgency,
      priority: d.priority?.summary,
      htmlUrl: d.html_url,
      serviceId: d.service?.id,
      serviceName: d.service?.summary,
      createdAt: d.created_at,
      details: {},
      source: 'cli',
    };
  }
  const v2 = eventsV2.safeParse(body);
  if (v2.success) {
    const p = v2.data.payload;
    const custom = p.custom_details;
    const details: Record<string, unknown> = custom && typeof custom === 'object' && !Array.isArray(custom) ? { ...(custom as Record<string, unknown>) } : {};
    const id = v2.data.dedup_key ?? `cli-${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12)}`;
    return { id, title: p.summary, urgency: p.severity, details, source: 'cli' };
  }
  throw new InvalidInputError(
    `${name} is neither a PagerDuty V3 webhook body ({"event":{"event_type":…,"data":{"id":…}}}) nor an Events v2 payload ({"payload":{"summary":…,"custom_details":{…}}})`,
    'save the webhook body PagerDuty sends (as in test/fixtures/pagerduty/incident.triggered.json) or the Events v2 payload your monitoring sends',
  );
}

export async function readAlertFile(path: string): Promise<Incident> {
  let text: string;
  try {
    const buffer = await readFile(path);
    if (buffer.byteLength > MAX_ALERT_BYTES) throw new InvalidInputError(`alert file ${path} is larger than ${MAX_ALERT_BYTES} bytes`);
    text = buffer.toString('utf8');
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError(`cannot read alert file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`alert file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return incidentFromAlert(body, `alert file ${path}`);
}
