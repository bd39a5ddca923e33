import type { AuditEvent, AuditEventType } from '../domain/audit.js';

export interface AuditQuery {
  incidentId?: string;
  /** ms epoch; only events at or after it. */
  sinceMs?: number;
  types?: readonly AuditEventType[];
  /** Only the newest `limit` matches (still returned oldest first). */
  limit?: number;
}

/** Reads the trail back (Redis stream or JSONL file), oldest first. */
export interface AuditReader {
  read(query: AuditQuery): Promise<AuditEvent[]>;
  close(): Promise<void>;
}

/** Does the event match the query's incident, time and type filters? */
export function matchesAuditQuery(event: AuditEvent, query: AuditQuery): boolean {
  if (query.incidentId !== undefined && event.incidentId !== query.incidentId) return false;
  if (query.types && !query.types.includes(event.type)) return false;
  if (query.sinceMs !== undefined) {
    const ts = Date.parse(event.ts);
    if (!Number.isFinite(ts) || ts < query.sinceMs) return false;
  }
  return true;
}

/** Parses a stored line/entry; undefined for anything that is not an audit event (a torn or foreign line). */
export function parseAuditEvent(raw: string): AuditEvent | undefined {
  try {
    const value = JSON.parse(raw) as AuditEvent;
    if (value && typeof value === 'object' && typeof value.ts === 'string' && typeof value.type === 'string') return value;
  } catch {
    // not JSON
  }
  return undefined;
}
