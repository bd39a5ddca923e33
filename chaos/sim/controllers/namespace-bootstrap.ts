// What the control plane puts into every namespace: the kube-root-ca.crt ConfigMap (root-ca-cert-publisher) and
// the default ServiceAccount (serviceaccount-controller); plus the namespaces a fresh cluster has.
import type { Controller, ControllerContext } from './controller-context.js';
import { errorCode, newObject } from './sim-object.js';
import { createWorkQueue } from './work-queue.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const FAKE_CA = '-----BEGIN CERTIFICATE-----\nkube-sim root CA (simulated)\n-----END CERTIFICATE-----\n';

export function startNamespaceBootstrap(ctx: ControllerContext): Controller {
  const { store, cache } = ctx;
  const ensure = (fn: () => void): void => {
    try {
      fn();
    } catch (error) {
      const code = errorCode(error);
      if (code !== 409 && code !== 404 && code !== 422) throw error;
    }
  };
  for (const ns of SYSTEM_NAMESPACES) {
    if (!cache.get('namespaces', undefined, ns)) ensure(() => store.create('namespaces', newObject('v1', 'Namespace', { name: ns }, { spec: {} }), { skipAdmission: true }));
  }
  const queue = createWorkQueue('namespace-bootstrap', (ns) => {
    const namespace = cache.get('namespaces', undefined, ns);
    if (!namespace || namespace.metadata.deletionTimestamp) return;
    if (!cache.get('configmaps', ns, 'kube-root-ca.crt')) {
      ensure(() => store.create('configmaps', newObject('v1', 'ConfigMap', { name: 'kube-root-ca.crt', namespace: ns, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, { data: { 'ca.crt': FAKE_CA } }), { skipAdmission: true }));
    }
    if (!cache.get('serviceaccounts', ns, 'default')) {
      ensure(() => store.create('serviceaccounts', newObject('v1', 'ServiceAccount', { name: 'default', namespace: ns }, {}), { skipAdmission: true }));
    }
  });
  cache.on('namespaces', (event) => event.type === 'ADDED' && queue.add(event.object.metadata.name));
  // Like the root-ca-cert-publisher and serviceaccounts controllers: a deleted kube-root-ca.crt or default
  // ServiceAccount comes straight back.
  cache.on('configmaps', (event) => event.type === 'DELETED' && event.object.metadata.name === 'kube-root-ca.crt' && queue.add(event.object.metadata.namespace as string));
  cache.on('serviceaccounts', (event) => event.type === 'DELETED' && event.object.metadata.name === 'default' && queue.add(event.object.metadata.namespace as string));
  // The apiserver keeps Endpoints for the selector-less default/kubernetes Service (its own address).
  let stopped = false;
  const publishApiEndpoints = (): void => {
    if (stopped) return;
    const svc = cache.get('services', 'default', 'kubernetes');
    if (!svc) return;
    const port = (svc.spec?.ports ?? [])[0] as { name?: string; targetPort?: number } | undefined;
    const endpointPort = { name: port?.name ?? 'https', port: Number(port?.targetPort ?? 6443), protocol: 'TCP' };
    if (!cache.get('endpoints', 'default', 'kubernetes')) {
      const subsets = [{ addresses: [{ ip: '127.0.0.1' }], ports: [endpointPort] }];
      ensure(() => store.create('endpoints', newObject('v1', 'Endpoints', { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, { subsets }), { skipAdmission: true }));
    }
    if (!cache.get('endpointslices', 'default', 'kubernetes')) {
      const slice = { addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }], ports: [endpointPort] };
      ensure(() => store.create('endpointslices', newObject('discovery.k8s.io/v1', 'EndpointSlice', { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } }, slice), { skipAdmission: true }));
    }
  };
  cache.on('services', (event) => event.object.metadata.name === 'kubernetes' && setImmediate(publishApiEndpoints));
  publishApiEndpoints();
  for (const ns of cache.list('namespaces')) queue.add(ns.metadata.name);
  return {
    stop: () => {
      stopped = true;
      queue.stop();
    },
  };
}
