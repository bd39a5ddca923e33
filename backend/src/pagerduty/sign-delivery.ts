import { signatureHeader } from './verify-signature.js';

// The headers PagerDuty sends with a V3 delivery, signed by the very function the webhook route verifies with.
// Used by `oncall-agent page`, the ingest benchmark and the tests: one signer, never a copy.

export interface SignedDelivery {
  body: Buffer;
  headers: Record<string, string>;
}

/** Signed with every given secret (one v1 value each, as during a rotation). */
export function signDelivery(payload: unknown, secrets: readonly string[], webhookId?: string): SignedDelivery {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-pagerduty-signature': signatureHeader(body, secrets),
    'user-agent': 'PagerDuty-Webhook/V3.0',
  };
  if (webhookId) headers['x-webhook-id'] = webhookId;
  return { body, headers };
}
