// Waits (bounded) for an incident's `incident.outcome` audit record: the one place a run's result is read from.
import type { AuditReader } from '../../backend/src/audit/audit-reader.js';
import type { IncidentOutcome, OutcomeRun } from '../../backend/src/domain/outcome.js';

export interface OutcomeQuery {
  incidentId: string;
  run: OutcomeRun;
  /** Only records written after this time (ms epoch): a repeat round never reads the previous round's outcome. */
  sinceMs: number;
  timeoutMs: number;
  pollMs?: number;
  /** Which outcomes to skip (e.g. approval outcomes already read). */
  skip?: (outcome: IncidentOutcome) => boolean;
}

/** The first matching outcome, or undefined when none came before the deadline. */
export async function awaitOutcome(reader: AuditReader, query: OutcomeQuery): Promise<IncidentOutcome | undefined> {
  const deadline = Date.now() + query.timeoutMs;
  for (;;) {
    const events = await reader.read({ incidentId: query.incidentId, types: ['incident.outcome'], sinceMs: query.sinceMs - 1_000 });
    for (const event of events) {
      const outcome = event.data as unknown as IncidentOutcome;
      if (outcome?.run === query.run && !query.skip?.(outcome)) return outcome;
    }
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, query.pollMs ?? 200));
  }
}
