import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { IncidentMarks } from '../safety/incident-marks.js';

/** A week: longer than any job, approval or write-back that could still read the mark. */
const TTL_SECONDS = 7 * 86_400;

/** Incident marks in Redis, one key per incident and kind (the id hashed: it came from outside). */
export function createRedisIncidentMarks(client: Redis, prefix: string): IncidentMarks {
  const key = (incidentId: string, kind: string) => `${prefix}incident-mark:${kind}:${createHash('sha256').update(incidentId).digest('hex').slice(0, 32)}`;
  return {
    async set(incidentId, kind, atMs) {
      await client.set(key(incidentId, kind), String(atMs), 'EX', TTL_SECONDS);
    },
    async get(incidentId, kind) {
      const value = await client.get(key(incidentId, kind));
      const n = value === null ? NaN : Number(value);
      return Number.isFinite(n) ? n : undefined;
    },
  };
}
