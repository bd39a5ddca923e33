import type { AuditEventType, ObjectRef } from '../domain/audit.js';
import { redactText, redactValue } from '../redaction/redact.js';
import type { ExecuteDeps } from './execute-deps.js';

/** Output kept in the audit trail per stream. */
const MAX_AUDIT_OUTPUT = 4_000;

/** Redacts and shortens command output for the audit trail and logs. */
export function clipOutput(text: string): string {
  const clean = redactText(text);
  return clean.length > MAX_AUDIT_OUTPUT ? `${clean.slice(0, MAX_AUDIT_OUTPUT)}… [${clean.length - MAX_AUDIT_OUTPUT} more chars]` : clean;
}

/**
 * Writes one audit record. The audit trail must never stop remediation half-way (the write already happened),
 * so a failing sink is logged loudly and the step goes on.
 */
export async function auditStep(
  deps: Pick<ExecuteDeps, 'audit' | 'clock' | 'logger'>,
  type: AuditEventType,
  incidentId: string,
  data: Record<string, unknown>,
  target?: ObjectRef,
  actor = 'agent',
): Promise<void> {
  try {
    await deps.audit.write({ ts: new Date(deps.clock.now()).toISOString(), type, incidentId, actor, data: redactValue(data), ...(target ? { target } : {}) });
  } catch (error) {
    deps.logger.error({ err: error, auditType: type, incidentId }, 'audit sink failed; continuing');
  }
}
