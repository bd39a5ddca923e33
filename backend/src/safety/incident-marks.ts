/**
 * Per-incident facts PagerDuty told us, with when they happened, shared by every worker: `resolved` (stop work on
 * it) and `human-ack` (a person took it: plan mode). Times, not flags, so a later reopen outranks an older resolve.
 * The Redis adapter is redis/redis-incident-marks.ts.
 */
export type IncidentMarkKind = 'resolved' | 'human-ack';

export interface IncidentMarks {
  set(incidentId: string, kind: IncidentMarkKind, atMs: number): Promise<void>;
  /** When the mark was last set (ms since epoch), or undefined. */
  get(incidentId: string, kind: IncidentMarkKind): Promise<number | undefined>;
}

export function createMemoryIncidentMarks(maxEntries = 50_000): IncidentMarks {
  const marks = new Map<string, number>();
  return {
    async set(incidentId, kind, atMs) {
      const key = `${kind}\u0000${incidentId}`;
      marks.delete(key);
      marks.set(key, atMs);
      if (marks.size > maxEntries) marks.delete(marks.keys().next().value as string);
    },
    get: async (incidentId, kind) => marks.get(`${kind}\u0000${incidentId}`),
  };
}
