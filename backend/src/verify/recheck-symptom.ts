// A cheap second look before the agent resolves a PagerDuty incident: one read of the target (and its pods or
// endpoints), now, with no waiting. The verify stage already proved the fix; this guards against resolving an incident
// whose symptom came back in the meantime (a crash loop that restarts after the verification window, a rollout someone
// else started, a node that went NotReady again).
import type { KubeObject } from '../domain/kube.js';
import type { ClusterReader } from '../domain/ports.js';
import { BAD_WAITING_REASONS, evaluateEndpointsReady, evaluateNodeSchedulable, evaluatePodsReady, evaluateRolloutComplete, type Evaluation } from './evaluate.js';
import { evaluateDaemonSetRollout, evaluateStatefulSetRollout } from './evaluate-workload-rollout.js';

export interface RecheckResult {
  clean: boolean;
  detail: string;
}

export interface RecheckTarget {
  kind: string;
  namespace?: string;
  name: string;
}

type Recheck = (ns: string, name: string, reader: ClusterReader) => Promise<RecheckResult>;

/** One re-check per kind the agent fixes; a kind without one is never called clean (a human resolves it). */
const RECHECKS: Record<string, Recheck> = {
  deployment: (ns, name, reader) => recheckWorkload('Deployment', ns, name, reader, evaluateRolloutComplete, (d) => d.spec?.replicas ?? 1),
  statefulset: (ns, name, reader) => recheckWorkload('StatefulSet', ns, name, reader, evaluateStatefulSetRollout, (s) => s.spec?.replicas ?? 1),
  daemonset: (ns, name, reader) => recheckWorkload('DaemonSet', ns, name, reader, evaluateDaemonSetRollout, (d) => Number(d.status?.desiredNumberScheduled ?? 0)),
  pod: recheckPod,
  service: recheckService,
  node: recheckNode,
};

/** Reads the target once: Deployments, StatefulSets, DaemonSets, Pods, Services and Nodes; other kinds are not clean. */
export async function recheckSymptom(target: RecheckTarget, reader: ClusterReader): Promise<RecheckResult> {
  const recheck = RECHECKS[target.kind.toLowerCase()];
  if (!recheck) return { clean: false, detail: `no re-check for ${target.kind} yet; a human resolves this incident` };
  return recheck(target.namespace ?? 'default', target.name, reader);
}

/** Rollout complete, then its pods: none stuck in a failing container state, and as many ready as it wants. */
async function recheckWorkload(
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet',
  ns: string,
  name: string,
  reader: ClusterReader,
  evaluateRollout: (object: KubeObject | undefined) => Evaluation,
  wantedPods: (object: KubeObject) => number,
): Promise<RecheckResult> {
  const label = `${kind.toLowerCase()} ${ns}/${name}`;
  const object = await reader.get(kind, ns, name);
  const rollout = evaluateRollout(object);
  if (!rollout.ok || !object) return { clean: false, detail: `${label}: ${rollout.detail}` };
  const selector = matchLabelsSelector(object);
  if (!selector) return { clean: false, detail: `${label} has no matchLabels selector to find its pods` };
  const pods = await reader.list('Pod', ns, { labelSelector: selector, limit: 500 });
  const stuck = stuckPods(pods);
  if (stuck.length > 0) return { clean: false, detail: `${label}: pods still failing: ${stuck.slice(0, 3).join(', ')}` };
  const ready = evaluatePodsReady(pods, wantedPods(object));
  return ready.ok ? { clean: true, detail: `${label}: ${rollout.detail}; ${ready.detail}` } : { clean: false, detail: `${label}: ${ready.detail}` };
}

async function recheckPod(ns: string, name: string, reader: ClusterReader): Promise<RecheckResult> {
  const pod = await reader.get('Pod', ns, name);
  if (!pod) return { clean: false, detail: `pod ${ns}/${name} not found (replaced?); cannot confirm from one read` };
  const stuck = stuckPods([pod]);
  if (stuck.length > 0) return { clean: false, detail: `pod ${ns}/${name} still failing: ${stuck[0]}` };
  const ready = evaluatePodsReady([pod], 1);
  return { clean: ready.ok, detail: `pod ${ns}/${name}: ${ready.detail}` };
}

/** The symptom of a Service is having nobody behind it: at least one ready endpoint address. */
async function recheckService(ns: string, name: string, reader: ClusterReader): Promise<RecheckResult> {
  const service = await reader.get('Service', ns, name);
  if (!service) return { clean: false, detail: `service ${ns}/${name} not found` };
  // An ExternalName service has no endpoints to look at: nothing here can confirm it works.
  if (service.spec?.type === 'ExternalName') return { clean: false, detail: `service ${ns}/${name} is an ExternalName service; a human confirms it` };
  const endpoints = evaluateEndpointsReady(await reader.get('Endpoints', ns, name));
  return { clean: endpoints.ok, detail: `service ${ns}/${name}: ${endpoints.detail}` };
}

async function recheckNode(_ns: string, name: string, reader: ClusterReader): Promise<RecheckResult> {
  const node = evaluateNodeSchedulable(await reader.get('Node', undefined, name));
  return { clean: node.ok, detail: `node ${name}: ${node.detail}` };
}

function matchLabelsSelector(workload: KubeObject): string | undefined {
  const labels = (workload.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? pairs.join(',') : undefined;
}

/** "web-1: CrashLoopBackOff" for each live pod with a container waiting for a reason that will not pass. */
function stuckPods(pods: readonly KubeObject[]): string[] {
  const out: string[] = [];
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const statuses: Array<{ state?: { waiting?: { reason?: string } } }> = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const reason = statuses.map((s) => s.state?.waiting?.reason).find((r) => r && BAD_WAITING_REASONS.includes(r));
    if (reason) out.push(`${pod.metadata.name}: ${reason}`);
  }
  return out;
}
