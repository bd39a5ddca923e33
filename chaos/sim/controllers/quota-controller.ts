// resourcequota-controller: status.hard mirrors spec.hard, status.used counts the namespace's live usage.
import { podUsage } from '../api/admission/quota.js';
import { formatQuantity } from '../api/quantity.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { sameStatus, splitKey } from './controller-context.js';
import { byNamespace, objectKey } from './object-cache.js';
import { isTerminalPod } from './pod-helpers.js';
import { errorCode, unconditional } from './sim-object.js';
import { createWorkQueue } from './work-queue.js';

const COUNTED: Record<string, string[]> = {
  pods: ['pods', 'count/pods'],
  services: ['services', 'count/services'],
  configmaps: ['configmaps', 'count/configmaps'],
  secrets: ['secrets', 'count/secrets'],
  persistentvolumeclaims: ['persistentvolumeclaims', 'count/persistentvolumeclaims'],
  resourcequotas: ['resourcequotas', 'count/resourcequotas'],
  deployments: ['count/deployments.apps'],
  replicasets: ['count/replicasets.apps'],
  statefulsets: ['count/statefulsets.apps'],
  daemonsets: ['count/daemonsets.apps'],
};

export function startQuotaController(ctx: ControllerContext): Controller {
  const { store, cache } = ctx;
  for (const r of Object.keys(COUNTED)) cache.addIndex(r, 'ns', byNamespace);
  const queue = createWorkQueue('resourcequota-controller', reconcileNamespace);
  for (const r of Object.keys(COUNTED)) cache.on(r, (event) => event.object.metadata.namespace && queue.add(event.object.metadata.namespace));

  function usedFor(ns: string, key: string): number {
    const pods = () => cache.byIndex('pods', 'ns', ns).filter((p) => !isTerminalPod(p));
    if (key.startsWith('requests.') || key.startsWith('limits.') || key === 'cpu' || key === 'memory') {
      const full = key.includes('.') ? key : `requests.${key}`;
      return pods().reduce((t, p) => t + (podUsage(p)[full] ?? 0), 0);
    }
    for (const [resource, keys] of Object.entries(COUNTED)) {
      if (keys.includes(key)) return resource === 'pods' ? pods().length : cache.byIndex(resource, 'ns', ns).length;
    }
    return 0;
  }

  function reconcileNamespace(ns: string): void {
    for (const quota of cache.byIndex('resourcequotas', 'ns', ns)) {
      const hard = (quota.spec?.hard ?? {}) as Record<string, string>;
      const used: Record<string, string> = {};
      for (const key of Object.keys(hard)) used[key] = formatQuantity(usedFor(ns, key), key);
      const status = { hard: { ...hard }, used };
      if (sameStatus(status, quota.status)) continue;
      try {
        store.updateStatus('resourcequotas', unconditional(quota, { status }), { skipAdmission: true });
      } catch (error) {
        if (errorCode(error) !== 404) throw error;
      }
    }
  }

  for (const q of cache.list('resourcequotas')) queue.add(splitKey(objectKey(q))[0] ?? 'default');
  return { stop: () => queue.stop() };
}
