// Running scenarios side by side without blurring the cluster diff: a scenario that touches cluster-scoped objects
// (nodes, storage, RBAC) or kube-system runs alone; the others share the cluster, each judging only its own
// namespace's changes plus everything that belongs to no scenario.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from './load-scenarios.js';

const CLUSTER_SCOPED = /\b(nodes?|cordon|uncordon|drain|taint|storageclass(es)?|persistentvolumes?|clusterroles?|clusterrolebindings?|priorityclass(es)?|customresourcedefinitions?|mutatingwebhookconfigurations?|validatingwebhookconfigurations?)\b/i;

/** True when the scenario must have the cluster to itself. */
export function needsExclusiveRun(scenario: Scenario, setupText = readFileSync(join(scenario.dir, 'setup.sh'), 'utf8')): boolean {
  if (scenario.namespace === 'kube-system' || scenario.clusterScopedWrites.length > 0) return true;
  // Comments say what the script does, not what it runs: only the commands count.
  const commands = setupText
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n');
  return CLUSTER_SCOPED.test(commands);
}

/** A read-write lock: shared runs overlap; an exclusive run waits for them and holds the next ones back. */
export function createLaneLock(): { shared<T>(fn: () => Promise<T>): Promise<T>; exclusive<T>(fn: () => Promise<T>): Promise<T> } {
  let active = 0;
  let exclusiveHeld = false;
  const waiters: Array<{ exclusive: boolean; wake: () => void }> = [];
  const pump = () => {
    while (waiters.length > 0) {
      const next = waiters[0];
      if (exclusiveHeld) return;
      if (next.exclusive) {
        if (active > 0) return;
        exclusiveHeld = true;
      } else active++;
      waiters.shift();
      next.wake();
    }
  };
  const run = async <T>(exclusive: boolean, fn: () => Promise<T>): Promise<T> => {
    await new Promise<void>((wake) => {
      waiters.push({ exclusive, wake });
      pump();
    });
    try {
      return await fn();
    } finally {
      if (exclusive) exclusiveHeld = false;
      else active--;
      pump();
    }
  };
  return { shared: (fn) => run(false, fn), exclusive: (fn) => run(true, fn) };
}
