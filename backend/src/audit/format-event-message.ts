import type { AuditEvent, AuditEventType } from '../domain/audit.js';

/** The steps worth an Event on the object itself: what was decided, done and proven. */
export const KUBE_EVENT_TYPES: ReadonlySet<AuditEventType> = new Set<AuditEventType>([
  'decision',
  'approval.requested',
  'approval.granted',
  'approval.denied',
  'approval.expired',
  'approval.cancelled',
  'execution',
  'execution.refused',
  'execution.resumed',
  'verification',
  'rollback',
  'escalation',
]);

const MAX_MESSAGE = 1024;

/**
 * One line for `kubectl describe`: the step, the action (command) and the verdict. Reads the common data fields
 * (command, exitCode, durationMs, verdict|status, decision|kind, reason|detail) and ignores the rest.
 */
export function formatEventMessage(event: AuditEvent): { message: string; type: 'Normal' | 'Warning' } {
  const d = event.data;
  const parts: string[] = [`oncall-agent ${event.type}`];
  const command = text(d.command);
  if (command) parts.push(`action: ${command}`);
  const decision = text(d.decision) ?? text((d.decision as { kind?: unknown } | undefined)?.kind) ?? text(d.kind);
  if (decision) parts.push(`decision: ${decision}`);
  if (typeof d.exitCode === 'number') parts.push(`exit ${d.exitCode}${typeof d.durationMs === 'number' ? ` in ${d.durationMs} ms` : ''}`);
  const verdict = verdictOf(event);
  if (verdict) parts.push(`verdict: ${verdict}`);
  if (typeof d.approvalId === 'string') parts.push(`approval ${d.approvalId}${event.actor ? ` by ${event.actor}` : ''}`);
  const why = text(d.reason) ?? text(d.detail) ?? (Array.isArray(d.reasons) ? text(d.reasons.filter((r) => typeof r === 'string').join('; ')) : undefined);
  if (why) parts.push(why);
  const message = parts.join('; ');
  return {
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
    type: isWarning(event, verdict) ? 'Warning' : 'Normal',
  };
}

function verdictOf(event: AuditEvent): string | undefined {
  const d = event.data;
  if (typeof d.verdict === 'string') return d.verdict;
  if (d.verdict && typeof d.verdict === 'object') return text((d.verdict as { status?: unknown }).status);
  // The execute stage writes a verification's verdict flat, as `status` (verified | failed | unverifiable | inconclusive).
  if (event.type === 'verification') return text(d.status);
  return undefined;
}

function isWarning(event: AuditEvent, verdict: string | undefined): boolean {
  if (['execution.refused', 'rollback', 'escalation', 'approval.denied', 'approval.expired', 'approval.cancelled', 'error'].includes(event.type)) return true;
  if (typeof event.data.exitCode === 'number' && event.data.exitCode !== 0) return true;
  return verdict === 'failed';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.replace(/\s+/g, ' ').trim() : undefined;
}
