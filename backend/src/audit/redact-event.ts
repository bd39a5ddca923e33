import type { AuditEvent } from '../domain/audit.js';
import { redactValue } from '../redaction/redact.js';

/**
 * The copy of an event that may be written anywhere: every string run through the shared redactor and every
 * secret-named field hidden. Each sink calls this itself, so no sink can be used without it.
 */
export function redactAuditEvent(event: AuditEvent): AuditEvent {
  return redactValue(event);
}
