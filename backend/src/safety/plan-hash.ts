import { createHash } from 'node:crypto';

/**
 * sha256 (hex) over the incident id and every command line of a plan, in order. An approval names this hash, so a
 * plan whose commands changed in any way (a character, the order, one added or removed) no longer matches.
 * JSON framing keeps the encoding unambiguous: ["a b", "c"] and ["a", "b c"] hash differently.
 */
export function computePlanHash(incidentId: string, commands: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(['oncall-agent/plan/v1', incidentId, [...commands]])).digest('hex');
}
