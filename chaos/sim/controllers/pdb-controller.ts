// disruption-controller: PodDisruptionBudget status (expectedPods, currentHealthy, desiredHealthy,
// disruptionsAllowed, the DisruptionAllowed condition) so eviction can honour it.
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { isoTime, splitKey } from './controller-context.js';
import { resolveIntOrPercent } from './deployment-util.js';
import { matchesSelector } from './label-selector.js';
import { byNamespace, objectKey } from './object-cache.js';
import { isPodReady, isTerminalPod } from './pod-helpers.js';
import { writeOwnStatus } from './sim-object.js';
import { createWorkQueue } from './work-queue.js';

/** The status numbers of a PDB over the pods it selects. */
export function computePdbNumbers(pdb: SimObject, pods: SimObject[]): { expectedPods: number; currentHealthy: number; desiredHealthy: number; disruptionsAllowed: number } {
  const selected = pods.filter((p) => !isTerminalPod(p) && !p.metadata.deletionTimestamp && matchesSelector(pdb.spec?.selector, p.metadata.labels));
  const expectedPods = selected.length;
  const currentHealthy = selected.filter(isPodReady).length;
  let desiredHealthy: number;
  if (pdb.spec?.maxUnavailable !== undefined) {
    desiredHealthy = Math.max(0, expectedPods - resolveIntOrPercent(pdb.spec.maxUnavailable, expectedPods, true, '0'));
  } else {
    desiredHealthy = resolveIntOrPercent(pdb.spec?.minAvailable ?? 1, expectedPods, true, '1');
  }
  return { expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy) };
}

export function startPdbController(ctx: ControllerContext): Controller {
  const { store, cache, clock } = ctx;
  cache.addIndex('pods', 'ns', byNamespace);
  cache.addIndex('poddisruptionbudgets', 'ns', byNamespace);
  const queue = createWorkQueue('disruption-controller', reconcile);
  cache.on('poddisruptionbudgets', (event) => queue.add(objectKey(event.object)));
  cache.on('pods', (event) => {
    for (const pdb of cache.byIndex('poddisruptionbudgets', 'ns', event.object.metadata.namespace as string)) queue.add(objectKey(pdb));
  });

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const pdb = cache.get('poddisruptionbudgets', ns, name);
    if (!pdb) return;
    const numbers = computePdbNumbers(pdb, cache.byIndex('pods', 'ns', ns as string));
    const allowed = numbers.disruptionsAllowed > 0;
    const old = pdb.status ?? {};
    const oldCond = (old.conditions ?? []).find((c: { type: string }) => c.type === 'DisruptionAllowed');
    const condStatus = allowed ? 'True' : 'False';
    const condition = {
      type: 'DisruptionAllowed',
      status: condStatus,
      observedGeneration: pdb.metadata.generation,
      lastTransitionTime: oldCond?.status === condStatus ? oldCond.lastTransitionTime : isoTime(clock.now()),
      reason: allowed ? 'SufficientPods' : 'InsufficientPods',
      message: '',
    };
    const status = { observedGeneration: pdb.metadata.generation, disruptedPods: old.disruptedPods, ...numbers, conditions: [condition] };
    if (JSON.stringify(status) === JSON.stringify(old)) return;
    writeOwnStatus(store, 'poddisruptionbudgets', pdb, status);
  }

  for (const pdb of cache.list('poddisruptionbudgets')) queue.add(objectKey(pdb));
  return { stop: () => queue.stop() };
}
