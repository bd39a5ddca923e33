import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

// PagerDuty V3 signs the raw request body: X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…], one value per
// signing secret while a subscription's secret rotates. We accept when any offered v1 value matches any secret.

const SIGNATURE_VERSION = 'v1';
/** Header values longer than this are refused outright: a real header carries a handful of 67-byte values. */
const MAX_HEADER_LENGTH = 4_096;

/** The hex HMAC-SHA256 of the raw body; the one function that both production and the test signer use. */
export function computeSignature(rawBody: Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** The header value PagerDuty would send for these secrets (one v1 value per secret). */
export function signatureHeader(rawBody: Uint8Array, secrets: readonly string[]): string {
  return secrets.map((secret) => `${SIGNATURE_VERSION}=${computeSignature(rawBody, secret)}`).join(',');
}

/**
 * True when one of the header's v1 signatures matches the HMAC of rawBody under one of the secrets.
 * Runs before the body is parsed; every comparison is constant-time over equal-length buffers.
 */
export function verifySignature(rawBody: Uint8Array, header: string | undefined, secrets: readonly string[]): boolean {
  return createSignatureVerifier(secrets)(rawBody, header);
}

/**
 * verifySignature with the secrets prepared once (as HMAC keys), for the webhook route: each delivery then costs one
 * HMAC per secret and no re-encoding of the key or of the digest.
 */
export function createSignatureVerifier(secrets: readonly string[]): (rawBody: Uint8Array, header: string | undefined) => boolean {
  const keys: KeyObject[] = secrets.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
  return (rawBody, header) => {
    if (!header || header.length > MAX_HEADER_LENGTH || keys.length === 0) return false;
    const offered = parseSignatureHeader(header);
    if (offered.length === 0) return false;
    const expected = keys.map((key) => createHmac('sha256', key).update(rawBody).digest());
    let matched = false;
    // No early exit: the time taken does not reveal which value or secret matched.
    for (const candidate of offered) {
      for (const digest of expected) {
        if (candidate.length === digest.length && timingSafeEqual(candidate, digest)) matched = true;
      }
    }
    return matched;
  };
}

/** The decoded v1 digests in the header; other versions and malformed values are skipped. */
export function parseSignatureHeader(header: string): Buffer[] {
  const out: Buffer[] = [];
  for (const part of header.split(',')) {
    const trimmed = part.trim();
    const eq = trimmed.indexOf('=');
    if (eq < 0 || trimmed.slice(0, eq) !== SIGNATURE_VERSION) continue;
    const hex = trimmed.slice(eq + 1);
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) continue;
    out.push(Buffer.from(hex, 'hex'));
  }
  return out;
}
