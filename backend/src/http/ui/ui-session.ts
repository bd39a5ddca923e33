// Sessions of the approval page, pure and stateless: after one login with APPROVAL_TOKEN the browser holds a signed
// session value (never the token), and each session has its own CSRF token. Both are HMACs under a key derived from
// APPROVAL_TOKEN, so rotating the token ends every session.
import { createHmac, randomBytes } from 'node:crypto';
import { secretsEqual } from '../approvals-router.js';

export const SESSION_TTL_MS = 12 * 3_600_000;

export interface UiSession {
  id: string;
  expiresAt: number;
}

export function sessionKey(approvalToken: string): Buffer {
  return createHmac('sha256', approvalToken).update('oncall-agent approval page session v1').digest();
}

const mac = (key: Buffer, what: string) => createHmac('sha256', key).update(what).digest('base64url');

/** A new session value for the cookie: `<id>.<expiresAt>.<mac>`. */
export function issueSession(key: Buffer, now: number): { value: string; session: UiSession } {
  const session = { id: randomBytes(18).toString('base64url'), expiresAt: now + SESSION_TTL_MS };
  const body = `${session.id}.${session.expiresAt}`;
  return { value: `${body}.${mac(key, `session.${body}`)}`, session };
}

/** The session a cookie value proves, or undefined (forged, malformed or expired). */
export function verifySession(key: Buffer, value: string | undefined, now: number): UiSession | undefined {
  const m = /^([A-Za-z0-9_-]{16,64})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!m) return undefined;
  if (!secretsEqual(m[3], mac(key, `session.${m[1]}.${m[2]}`))) return undefined;
  const expiresAt = Number(m[2]);
  return expiresAt > now ? { id: m[1], expiresAt } : undefined;
}

/** The session's CSRF token (a hidden field in every form). */
export function csrfTokenFor(key: Buffer, session: UiSession): string {
  return mac(key, `csrf.${session.id}`);
}

/** Constant-time check of a submitted CSRF token against the session's. */
export function checkCsrf(key: Buffer, session: UiSession, submitted: unknown): boolean {
  return typeof submitted === 'string' && secretsEqual(submitted, csrfTokenFor(key, session));
}

/** Reads one cookie from a Cookie header (no dependency for one value). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
