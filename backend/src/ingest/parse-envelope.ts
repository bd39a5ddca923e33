import { webhookEnvelopeSchema, type WebhookEnvelope } from '../pagerduty/webhook-schemas.js';

export type ParsedEnvelope = { ok: true; envelope: WebhookEnvelope } | { ok: false; reason: string };

/** JSON.parse then the V3 envelope schema. Call only after the signature has been verified. */
export function parseEnvelope(rawBody: Buffer): ParsedEnvelope {
  let json: unknown;
  try {
    // A UTF-8 byte-order mark is legal before JSON text (RFC 8259 lets parsers ignore it); JSON.parse does not skip it.
    json = JSON.parse(rawBody.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${(error as Error).message}` };
  }
  const result = webhookEnvelopeSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, reason: `not a PagerDuty V3 webhook envelope: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { ok: true, envelope: result.data };
}
