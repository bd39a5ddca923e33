// ResourceQuota admission, computed from the live objects in the namespace (not from quota status, which the
// controllers maintain asynchronously): an exceeded quota → 403 Forbidden with the real apiserver message.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { forbidden } from '../../store/errors.js';
import type { SimObject } from '../../store/types.js';
import { formatQuantity, parseQuantity } from '../quantity.js';
import type { WriteContext } from '../strategy.js';

const COMPUTE = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'cpu', 'memory', 'requests.ephemeral-storage', 'limits.ephemeral-storage'];

/** Object-count keys a quota can name, by store key. */
export const COUNT_KEYS: Record<string, string[]> = {
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

function isTerminalPod(pod: SimObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** What one pod uses of each compute resource name. Regular containers summed; init containers as max. */
export function podUsage(pod: SimObject): Record<string, number> {
  const usage: Record<string, number> = {};
  const sum = (containers: any[]) => {
    const out: Record<string, number> = {};
    for (const c of containers) {
      for (const kind of ['requests', 'limits'] as const) {
        for (const [name, value] of Object.entries(c?.resources?.[kind] ?? {})) {
          const amount = parseQuantity(value) ?? 0;
          const key = `${kind}.${name}`;
          out[key] = (out[key] ?? 0) + amount;
        }
      }
    }
    return out;
  };
  const regular = sum(pod.spec?.containers ?? []);
  for (const init of pod.spec?.initContainers ?? []) {
    const single = sum([init]);
    for (const [k, v] of Object.entries(single)) regular[k] = Math.max(regular[k] ?? 0, v);
  }
  for (const [k, v] of Object.entries(regular)) usage[k] = v;
  if (usage['requests.cpu'] !== undefined) usage.cpu = usage['requests.cpu'];
  if (usage['requests.memory'] !== undefined) usage.memory = usage['requests.memory'];
  return usage;
}

/**
 * How much of quota `key` a namespace uses, given its live objects per store key: the one rule shared by admission
 * (reading the store) and the resourcequota controller (reading its cache).
 */
export function quotaUsed(key: string, list: (resource: string) => readonly SimObject[]): number {
  const livePods = () => list('pods').filter((p) => !isTerminalPod(p));
  if (COMPUTE.includes(key) || key.startsWith('requests.') || key.startsWith('limits.')) {
    const full = key.includes('.') ? key : `requests.${key}`;
    return livePods().reduce((total, pod) => total + (podUsage(pod)[full] ?? 0), 0);
  }
  for (const [resource, keys] of Object.entries(COUNT_KEYS)) {
    if (keys.includes(key)) return resource === 'pods' ? livePods().length : list(resource).length;
  }
  return 0;
}

/** Throws 403 Forbidden when creating `object` would exceed a ResourceQuota in its namespace. */
export function admitQuota(resource: string, object: SimObject, context: WriteContext): void {
  if (context.operation !== 'create') return;
  const namespace = object.metadata.namespace;
  if (!namespace) return;
  const quotas = context.reader.peekList('resourcequotas', namespace);
  if (!quotas.length) return;
  const countKeys = COUNT_KEYS[resource] ?? [];
  const requested: Record<string, number> = {};
  for (const key of countKeys) requested[key] = 1;
  if (resource === 'pods') Object.assign(requested, podUsage(object));
  const ref = { resource: context.info.resource, group: context.info.group };

  for (const quota of quotas) {
    const hard: Record<string, string> = quota.spec?.hard ?? {};
    // Pods must declare every compute resource a quota constrains.
    if (resource === 'pods') {
      const missing: string[] = [];
      for (const key of Object.keys(hard)) {
        if (!COMPUTE.includes(key)) continue;
        const full = key.includes('.') ? key : `requests.${key}`;
        const [kind, name] = full.split('.');
        const lacking = (object.spec?.containers ?? [])
          .filter((c: any) => c?.resources?.[kind]?.[name] === undefined)
          .map((c: any) => c.name);
        if (lacking.length) missing.push(`${key} for: ${lacking.join(',')}`);
      }
      if (missing.length) {
        throw forbidden(ref, object.metadata.name, `failed quota: ${quota.metadata.name}: must specify ${missing.sort().join('; ')}`);
      }
    }
    const exceeded: Array<{ key: string; req: number; used: number; limit: number }> = [];
    for (const [key, limitText] of Object.entries(hard)) {
      const req = requested[key] ?? (COMPUTE.includes(key) && resource === 'pods' ? requested[`requests.${key}`] : undefined);
      if (req === undefined) continue;
      const limit = parseQuantity(limitText) ?? 0;
      const used = quotaUsed(key, (r) => context.reader.peekList(r, namespace));
      if (used + req > limit + 1e-9) exceeded.push({ key, req, used, limit });
    }
    if (exceeded.length) {
      exceeded.sort((a, b) => (a.key < b.key ? -1 : 1));
      const fmt = (pick: 'req' | 'used' | 'limit') => exceeded.map((e) => `${e.key}=${formatQuantity(e[pick], e.key)}`).join(',');
      throw forbidden(
        ref,
        object.metadata.name,
        `exceeded quota: ${quota.metadata.name}, requested: ${fmt('req')}, used: ${fmt('used')}, limited: ${fmt('limit')}`,
      );
    }
  }
}
