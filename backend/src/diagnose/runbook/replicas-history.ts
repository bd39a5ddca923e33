import type { KubeObject } from '../../domain/kube.js';
import type { RunbookFacts } from './gather-runbook-facts.js';
import { eventTime, involvedName } from './pod-facts.js';

export interface RecordedCount {
  count: number;
  from: string;
  /** False when nothing recorded a count and 1 is a guess. */
  recorded: boolean;
}

// "Scaled down replica set web-5d4f from 2 to 0" (before 1.27) and "Scaled down replica set web-5d4f to 0 from 2".
const SCALED_DOWN = /Scaled down replica set (\S+) (?:from (\d+) to 0|to 0 from (\d+))/;

/**
 * The replica count the Deployment had before it went to zero: the deployment controller's scale-down event, then the
 * last applied configuration, then the ReplicaSets' desired-replicas annotations (newest revision first); else 1,
 * marked as a guess.
 */
export function lastNonZeroReplicas(deployment: KubeObject, facts: Pick<RunbookFacts, 'history'> & { events?: KubeObject[] }): RecordedCount {
  const scaled = (facts.events ?? [])
    .filter((e) => e.reason === 'ScalingReplicaSet' && involvedName(e) === deployment.metadata.name)
    .sort((a, b) => eventTime(b).localeCompare(eventTime(a)))
    .map((e) => SCALED_DOWN.exec(String(e.message ?? '')))
    .find((m) => m);
  if (scaled) {
    const n = Number(scaled[2] ?? scaled[3]);
    if (Number.isInteger(n) && n > 0) return { count: Math.min(n, 100), from: `the event "Scaled down replica set ${scaled[1]} from ${n} to 0"`, recorded: true };
  }
  const applied = deployment.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
  if (applied) {
    try {
      // Only spec.replicas is read from it: the rest may hold env values.
      const replicas = Number((JSON.parse(applied) as { spec?: { replicas?: unknown } }).spec?.replicas);
      if (Number.isInteger(replicas) && replicas > 0) return { count: Math.min(replicas, 100), from: 'last applied configuration', recorded: true };
    } catch {
      // Not JSON: fall through.
    }
  }
  for (const revision of facts.history) {
    if (revision.desiredReplicas && revision.desiredReplicas > 0) {
      return { count: Math.min(revision.desiredReplicas, 100), from: `revision ${revision.revision}'s desired-replicas`, recorded: true };
    }
  }
  return { count: 1, from: 'no earlier non-zero count recorded', recorded: false };
}
