import type { KubeObject } from '../../domain/kube.js';
import type { RunbookFacts } from './gather-runbook-facts.js';

/**
 * The replica count the Deployment last had before it went to zero: the last applied configuration, then the
 * ReplicaSets' desired-replicas annotations (newest revision first), else 1.
 */
export function lastNonZeroReplicas(deployment: KubeObject, facts: Pick<RunbookFacts, 'history'>): { count: number; from: string } {
  const applied = deployment.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
  if (applied) {
    try {
      // Only spec.replicas is read from it: the rest may hold env values.
      const replicas = Number((JSON.parse(applied) as { spec?: { replicas?: unknown } }).spec?.replicas);
      if (Number.isInteger(replicas) && replicas > 0) return { count: Math.min(replicas, 100), from: 'last applied configuration' };
    } catch {
      // Not JSON: fall through.
    }
  }
  for (const revision of facts.history) {
    if (revision.desiredReplicas && revision.desiredReplicas > 0) {
      return { count: Math.min(revision.desiredReplicas, 100), from: `revision ${revision.revision}'s desired-replicas` };
    }
  }
  return { count: 1, from: 'no earlier non-zero count recorded' };
}
