// Pure: what a verification that cannot read the cluster may conclude. A verdict of "failed" triggers a rollback and
// counts against the breaker, so it needs an observation: the cluster seen not to reach the state. When the last reads
// before the deadline failed (API server unreachable, restarting, timing out), nothing was seen: the verdict is
// "inconclusive" — not verified, not failed, nothing rolled back — and the write stays recorded as done but unverified.
import type { Evaluation } from './evaluate.js';

/** The reads that failed in a row, up to now. */
export interface ReadOutage {
  since: number;
  failures: number;
  lastError: string;
}

/** After one read: a success ends the outage; a failure starts or extends it. */
export function noteRead(outage: ReadOutage | undefined, at: number, error?: string): ReadOutage | undefined {
  if (error === undefined) return undefined;
  return outage ? { ...outage, failures: outage.failures + 1, lastError: error } : { since: at, failures: 1, lastError: error };
}

export type DeadlineConclusion = { kind: 'failed'; detail: string } | { kind: 'inconclusive'; detail: string };

/**
 * At the deadline: failed when the last read saw the state (a real observation), inconclusive when the reads were
 * failing. `lastSeen` is the last observation made before the outage, said so the human knows how far it got.
 */
export function concludeAtDeadline(last: Evaluation, outage: ReadOutage | undefined, lastSeen: Evaluation | undefined, now: number): DeadlineConclusion {
  if (!outage) return { kind: 'failed', detail: `${last.detail} (deadline passed)` };
  const seconds = Math.max(0, Math.round((now - outage.since) / 1_000));
  const seen = lastSeen ? `last observed before that: ${lastSeen.detail}` : 'the state was never observed after the write';
  return {
    kind: 'inconclusive',
    detail: `could not verify: the cluster could not be read for the last ${seconds} s of the window (${outage.failures} failed read${outage.failures === 1 ? '' : 's'}, last: ${outage.lastError}); ${seen}`,
  };
}
