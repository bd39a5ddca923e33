// endpoint-controller: an Endpoints object (and its EndpointSlice) per selector Service, with ready pods in addresses and the rest in
// notReadyAddresses, ports resolved against each pod's container ports.
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { splitKey } from './controller-context.js';
import { matchesMap } from './label-selector.js';
import { byNamespace, objectKey } from './object-cache.js';
import { isPodReady, isTerminalPod } from './pod-helpers.js';
import { errorCode, newObject, unconditional } from './sim-object.js';
import { createWorkQueue } from './work-queue.js';
import { buildSliceBody, syncEndpointSlice } from './endpoint-slices.js';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

function resolvePort(pod: SimObject, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of (pod.spec?.containers ?? []) as Array<{ ports?: Array<{ name?: string; containerPort: number }> }>) {
    const found = c.ports?.find((p) => p.name === target);
    if (found) return found.containerPort;
  }
  return undefined;
}

/** The subsets of an Endpoints object for `service` over `pods`. */
export function buildSubsets(service: SimObject, pods: SimObject[]): unknown[] {
  const groups = new Map<string, { addresses: unknown[]; notReadyAddresses: unknown[]; ports: unknown[] }>();
  for (const pod of pods) {
    if (!pod.status?.podIP || pod.metadata.deletionTimestamp || isTerminalPod(pod)) continue;
    const ports = ((service.spec?.ports ?? []) as ServicePort[])
      .map((p) => ({ p, n: resolvePort(pod, p) }))
      .filter((x): x is { p: ServicePort; n: number } => x.n !== undefined)
      .map(({ p, n }) => (p.name ? { name: p.name, port: n, protocol: p.protocol ?? 'TCP' } : { port: n, protocol: p.protocol ?? 'TCP' }));
    const key = JSON.stringify(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { addresses: [], notReadyAddresses: [], ports }));
    const address = {
      ip: pod.status.podIP,
      nodeName: pod.spec?.nodeName,
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    };
    (isPodReady(pod) ? group.addresses : group.notReadyAddresses).push(address);
  }
  return [...groups.values()].map((g) => {
    const subset: Record<string, unknown> = {};
    if (g.addresses.length) subset.addresses = g.addresses;
    if (g.notReadyAddresses.length) subset.notReadyAddresses = g.notReadyAddresses;
    if (g.ports.length) subset.ports = g.ports;
    return subset;
  });
}

export function startEndpointsController(ctx: ControllerContext): Controller {
  const { store, cache } = ctx;
  cache.addIndex('pods', 'ns', byNamespace);
  cache.addIndex('services', 'ns', byNamespace);
  const queue = createWorkQueue('endpoint-controller', reconcile);
  cache.on('services', (event) => queue.add(objectKey(event.object)));
  cache.on('pods', (event, old) => {
    const ns = event.object.metadata.namespace as string;
    for (const svc of cache.byIndex('services', 'ns', ns)) {
      if (matchesMap(svc.spec?.selector, event.object.metadata.labels) || (old && matchesMap(svc.spec?.selector, old.metadata.labels))) queue.add(objectKey(svc));
    }
  });

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = cache.get('services', ns, name);
    const existing = cache.get('endpoints', ns, name);
    if (!svc) {
      if (existing) store.remove('endpoints', ns, name);
      syncEndpointSlice(store, cache, ns as string, name, undefined, undefined);
      return;
    }
    const selector = svc.spec?.selector as Record<string, string> | undefined;
    if (!selector || Object.keys(selector).length === 0) return;
    const pods = cache.byIndex('pods', 'ns', ns as string).filter((p) => matchesMap(selector, p.metadata.labels));
    const subsets = buildSubsets(svc, pods);
    try {
      syncEndpointSlice(store, cache, ns as string, name, svc, buildSliceBody(svc, pods, resolvePort));
      // The real API server omits `subsets` when there are none (omitempty), never `subsets: []`.
      const body = subsets.length ? { subsets } : {};
      if (!existing) {
        store.create('endpoints', newObject('v1', 'Endpoints', { name: name, namespace: ns, labels: svc.metadata.labels }, body), { skipAdmission: true });
      } else if (JSON.stringify(existing.subsets ?? []) !== JSON.stringify(subsets) || (existing.subsets !== undefined && subsets.length === 0)) {
        const { subsets: _old, ...rest } = unconditional(existing) as SimObject & { subsets?: unknown };
        store.update('endpoints', { ...rest, ...body } as SimObject, { skipAdmission: true });
      }
    } catch (error) {
      if (errorCode(error) !== 404 && errorCode(error) !== 409) throw error;
    }
  }

  for (const svc of cache.list('services')) queue.add(objectKey(svc));
  return { stop: () => queue.stop() };
}
