import type { Target } from '../../domain/incident.js';
import type { KubeObject } from '../../domain/kube.js';
import type { ClusterReader } from '../../domain/ports.js';
import { selectorOf } from '../../tools/format.js';
import { summariseHistory, type RevisionSummary } from '../../tools/get-deployment-history.js';
import { readNodeCapacity, type NodeCapacity } from '../../tools/check-node-capacity.js';

/** The cluster state the runbook rules read. Gathered from the cluster only: never from the alert's text. */
export interface RunbookFacts {
  target: Target;
  deployment?: KubeObject;
  /** Newest revision first. */
  history: RevisionSummary[];
  pods: KubeObject[];
  service?: KubeObject;
  endpoints?: KubeObject;
  /** Only read when some pod is Pending as unschedulable. */
  nodes?: NodeCapacity[];
  /** Readiness-probe failures (reason Unhealthy) on the workload's pods. */
  unhealthyEvents: KubeObject[];
  /** FailedMount events on the workload's pods (a missing ConfigMap/Secret in a volume). */
  mountFailures?: KubeObject[];
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0 || !labels) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function isUnschedulable(pod: KubeObject): boolean {
  return (
    pod.status?.phase === 'Pending' &&
    ((pod.status?.conditions as Array<{ type: string; status: string; reason?: string }>) ?? []).some(
      (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
    )
  );
}

export async function gatherRunbookFacts(reader: ClusterReader, target: Target): Promise<RunbookFacts> {
  const ns = target.namespace;
  let deployment: KubeObject | undefined;
  let service: KubeObject | undefined;
  if (target.kind === 'Deployment' && target.name) deployment = await reader.get('Deployment', ns, target.name);
  if (target.kind === 'Service' && target.name) {
    service = await reader.get('Service', ns, target.name);
    const deployments = await reader.list('Deployment', ns);
    deployment = deployments.find((d) => selects(service?.spec?.selector, d.spec?.template?.metadata?.labels));
  }
  const facts: RunbookFacts = { target, deployment, history: [], pods: [], service, unhealthyEvents: [], mountFailures: [] };
  if (!deployment) {
    // Not a Deployment: the runbook will not act, but the escalation carries what its pods show.
    if (target.kind === 'Pod' && target.name) facts.pods = [await reader.get('Pod', ns, target.name)].filter((p): p is KubeObject => Boolean(p));
    else if (target.selector && target.kind !== 'Node') facts.pods = await reader.list('Pod', ns, { labelSelector: target.selector, limit: 20 });
    return facts;
  }

  const selector = selectorOf(deployment.spec?.selector?.matchLabels);
  const [replicaSets, pods, services, events, mountEvents] = await Promise.all([
    reader.list('ReplicaSet', ns, { labelSelector: selector }),
    reader.list('Pod', ns, { labelSelector: selector }),
    service ? Promise.resolve([service]) : reader.list('Service', ns),
    reader.list('Event', ns, { fieldSelector: 'reason=Unhealthy' }),
    reader.list('Event', ns, { fieldSelector: 'reason=FailedMount' }),
  ]);
  facts.pods = pods;
  facts.history = summariseHistory(deployment, replicaSets, pods);
  facts.service = service ?? services.find((s) => selects(s.spec?.selector, deployment.spec?.template?.metadata?.labels));
  if (facts.service?.metadata.name) facts.endpoints = await reader.get('Endpoints', ns, facts.service.metadata.name);
  const podNames = new Set(pods.map((p) => p.metadata.name));
  const onPods = (e: KubeObject) => podNames.has((e.involvedObject as { name?: string } | undefined)?.name);
  facts.unhealthyEvents = events.filter((e) => e.reason === 'Unhealthy' && onPods(e));
  facts.mountFailures = mountEvents.filter((e) => e.reason === 'FailedMount' && onPods(e));
  if (pods.some(isUnschedulable)) facts.nodes = await withCordonTimes(reader, await readNodeCapacity(reader));
  return facts;
}

/**
 * The unschedulable taint's timeAdded says when a node was cordoned; where the cluster does not set it, the kubelet's
 * NodeNotSchedulable event does.
 */
async function withCordonTimes(reader: ClusterReader, nodes: NodeCapacity[]): Promise<NodeCapacity[]> {
  if (!nodes.some((n) => n.cordoned && !n.cordonedAt)) return nodes;
  const events = await reader.list('Event', undefined, { fieldSelector: 'involvedObject.kind=Node,reason=NodeNotSchedulable' }).catch(() => []);
  const latest = new Map<string, string>();
  for (const e of events) {
    const node = (e.involvedObject as { name?: string } | undefined)?.name;
    const at = String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '');
    if (node && e.reason === 'NodeNotSchedulable' && at > (latest.get(node) ?? '')) latest.set(node, at);
  }
  return nodes.map((n) => (n.cordoned && !n.cordonedAt && latest.has(n.name) ? { ...n, cordonedAt: latest.get(n.name) } : n));
}
