import type { AuditEvent } from '../domain/audit.js';
import { redactValue } from '../redaction/redact.js';

/** Longest string kept in an audit record; kubectl output beyond this is cut (the stream holds thousands of records). */
export const MAX_AUDIT_STRING = 16_384;

/**
 * The copy of an event that may be written anywhere: every string run through the shared redactor, every
 * secret-named field hidden, and long strings cut. Each sink calls this itself, so no sink can be used without it.
 */
export function redactAuditEvent(event: AuditEvent): AuditEvent {
  return truncateStrings(redactValue(event), 0) as AuditEvent;
}

function truncateStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_AUDIT_STRING ? `${value.slice(0, MAX_AUDIT_STRING)}…[${value.length - MAX_AUDIT_STRING} more characters cut]` : value;
  }
  if (depth > 32 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => truncateStrings(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = truncateStrings(v, depth + 1);
  return out;
}
