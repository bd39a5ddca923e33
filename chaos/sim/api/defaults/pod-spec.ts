// Pod spec defaulting as the real apiserver applies it (SetDefaults_PodSpec, SetDefaults_Container, probes, volumes).
// Templates (in Deployments etc.) get the same defaults minus the ones that only admission adds to real pods.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { randomSuffix } from '../names.js';

function imagePullPolicyFor(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: any): void {
  if (!probe || typeof probe !== 'object') return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) probe.httpGet.scheme ??= 'HTTP';
}

export function defaultContainer(container: any): void {
  if (!container || typeof container !== 'object') return;
  if (Array.isArray(container.ports)) for (const port of container.ports) if (port) port.protocol ??= 'TCP';
  if (Array.isArray(container.env)) {
    for (const env of container.env) {
      const fieldRef = env?.valueFrom?.fieldRef;
      if (fieldRef) fieldRef.apiVersion ??= 'v1';
    }
  }
  container.resources ??= {};
  const resources = container.resources;
  // Requests default to limits when only limits are given.
  if (resources.limits && typeof resources.limits === 'object') {
    resources.requests ??= {};
    for (const [name, value] of Object.entries(resources.limits)) resources.requests[name] ??= value;
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  container.terminationMessagePath ??= '/dev/termination-log';
  container.terminationMessagePolicy ??= 'File';
  container.imagePullPolicy ??= imagePullPolicyFor(container.image);
}

function defaultVolume(volume: any): void {
  if (!volume || typeof volume !== 'object') return;
  if (volume.configMap) volume.configMap.defaultMode ??= 420;
  if (volume.secret) volume.secret.defaultMode ??= 420;
  if (volume.projected) volume.projected.defaultMode ??= 420;
  if (volume.downwardAPI) volume.downwardAPI.defaultMode ??= 420;
  if (volume.hostPath) volume.hostPath.type ??= '';
  const hasSource = Object.keys(volume).some((k) => k !== 'name');
  if (!hasSource) volume.emptyDir = {};
}

/** Defaults for any pod spec (pods and templates). */
export function defaultPodSpec(spec: any): void {
  if (!spec || typeof spec !== 'object') return;
  if (Array.isArray(spec.volumes)) spec.volumes.forEach(defaultVolume);
  if (Array.isArray(spec.initContainers)) spec.initContainers.forEach(defaultContainer);
  if (Array.isArray(spec.containers)) spec.containers.forEach(defaultContainer);
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  if (spec.serviceAccount && !spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount;
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
}

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

/** What admission adds to a real pod on create: service account, its token volume, default tolerations, priority. */
export function admitNewPodSpec(spec: any): void {
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount = spec.serviceAccountName;
  if (spec.automountServiceAccountToken !== false) addServiceAccountVolume(spec);
  spec.tolerations ??= [];
  for (const key of [NOT_READY, UNREACHABLE]) {
    const present = spec.tolerations.some((t: any) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
    if (!present) spec.tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  spec.priority ??= 0;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
}

function addServiceAccountVolume(spec: any): void {
  spec.volumes ??= [];
  const mountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
  const already = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].some((c: any) =>
    (c.volumeMounts ?? []).some((m: any) => m.mountPath === mountPath),
  );
  if (already) return;
  const name = `kube-api-access-${randomSuffix(5)}`;
  spec.volumes.push({
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    },
  });
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    container.volumeMounts ??= [];
    container.volumeMounts.push({ name, readOnly: true, mountPath });
  }
}

/** Guaranteed / Burstable / BestEffort, as status.qosClass. */
export function qosClassOf(spec: any): string {
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    if (Object.keys(requests).length || Object.keys(limits).length) any = true;
    for (const resource of ['cpu', 'memory']) {
      if (limits[resource] === undefined || String(limits[resource]) !== String(requests[resource] ?? limits[resource])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
