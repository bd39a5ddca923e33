// resourcequota-controller: status.hard mirrors spec.hard, status.used counts the namespace's live usage.
import { COUNT_KEYS, quotaUsed } from '../api/admission/quota.js';
import { formatQuantity } from '../api/quantity.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { sameStatus, splitKey } from './controller-context.js';
import { byNamespace, objectKey } from './object-cache.js';
import { writeOwnStatus } from './sim-object.js';
import { createWorkQueue } from './work-queue.js';

export function startQuotaController(ctx: ControllerContext): Controller {
  const { store, cache } = ctx;
  for (const r of Object.keys(COUNT_KEYS)) cache.addIndex(r, 'ns', byNamespace);
  const queue = createWorkQueue('resourcequota-controller', reconcileNamespace);
  for (const r of Object.keys(COUNT_KEYS)) cache.on(r, (event) => event.object.metadata.namespace && queue.add(event.object.metadata.namespace));

  function reconcileNamespace(ns: string): void {
    for (const quota of cache.byIndex('resourcequotas', 'ns', ns)) {
      const hard = (quota.spec?.hard ?? {}) as Record<string, string>;
      const used: Record<string, string> = {};
      for (const key of Object.keys(hard)) used[key] = formatQuantity(quotaUsed(key, (r) => cache.byIndex(r, 'ns', ns)), key);
      const status = { hard: { ...hard }, used };
      if (sameStatus(status, quota.status)) continue;
      writeOwnStatus(store, 'resourcequotas', quota, status);
    }
  }

  for (const q of cache.list('resourcequotas')) queue.add(splitKey(objectKey(q))[0] ?? 'default');
  return { stop: () => queue.stop() };
}
