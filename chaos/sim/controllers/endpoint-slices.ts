// The EndpointSlice the real endpointslice-controller keeps next to each selector Service's Endpoints
// (discovery.k8s.io/v1). kubectl 1.32 `describe service` reads its Endpoints line from these slices only.
import type { SimObject, SimStore } from '../store/types.js';
import type { ObjectCache } from './object-cache.js';
import { isPodReady, isTerminalPod } from './pod-helpers.js';
import { newObject, unconditional } from './sim-object.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY = { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' };

/** The endpoints/ports of one slice: every pod with an IP, ready or not (conditions say which). */
export function buildSliceBody(service: SimObject, pods: SimObject[], resolvePort: (pod: SimObject, port: { name?: string; port: number; targetPort?: number | string }) => number | undefined): Record<string, unknown> {
  const servicePorts = (service.spec?.ports ?? []) as Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string }>;
  const live = pods.filter((p) => p.status?.podIP && !isTerminalPod(p));
  const endpoints = live.map((pod) => {
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const ready = isPodReady(pod) && !terminating;
    return {
      addresses: [pod.status?.podIP],
      conditions: { ready, serving: isPodReady(pod), terminating },
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    };
  });
  // Ports come from the first pod that resolves them (the real controller groups pods by port set).
  const ports = servicePorts.map((p) => {
    const n = live.map((pod) => resolvePort(pod, p)).find((x) => x !== undefined);
    return { name: p.name ?? '', port: n ?? null, protocol: p.protocol ?? 'TCP' };
  });
  return { addressType: 'IPv4', endpoints: endpoints.length ? endpoints : null, ports };
}

/** Creates, updates or deletes the slice of `service` (undefined: the Service is gone or has no selector). */
export function syncEndpointSlice(store: SimStore, cache: ObjectCache, ns: string, name: string, service: SimObject | undefined, body: Record<string, unknown> | undefined): void {
  const existing = cache.list('endpointslices', ns).find((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.['endpointslice.kubernetes.io/managed-by']);
  if (!service || !body) {
    if (existing) store.remove('endpointslices', ns, existing.metadata.name);
    return;
  }
  const labels = { ...(service.metadata.labels ?? {}), ...MANAGED_BY, [SERVICE_NAME_LABEL]: name };
  if (!existing) {
    const ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name, uid: service.metadata.uid, controller: true, blockOwnerDeletion: true }];
    store.create('endpointslices', newObject('discovery.k8s.io/v1', 'EndpointSlice', { name: '', generateName: `${name}-`, namespace: ns, labels, ownerReferences }, body), { skipAdmission: true });
  } else if (JSON.stringify([existing.endpoints ?? null, existing.ports, existing.addressType]) !== JSON.stringify([body.endpoints, body.ports, body.addressType])) {
    store.update('endpointslices', unconditional(existing, { ...body, metadata: { ...existing.metadata, labels } } as Partial<SimObject>), { skipAdmission: true });
  }
}
