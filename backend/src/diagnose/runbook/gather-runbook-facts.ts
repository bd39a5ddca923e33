import type { Target } from '../../domain/incident.js';
import type { KubeObject } from '../../domain/kube.js';
import type { ClusterReader } from '../../domain/ports.js';
import { summariseHistory, type RevisionSummary } from '../../tools/get-deployment-history.js';
import { readNodeCapacity, type NodeCapacity } from '../../tools/check-node-capacity.js';
import { readWorkload, workloadFromObject, type Workload } from './read-workload.js';
import { readCrashLogs } from './read-crash-logs.js';
import { failingContainers, isUnschedulable, selects, statusesOf } from './pod-facts.js';

export { isUnschedulable, selects };

/**
 * The cluster state the runbook rules read, gathered once per incident through the per-incident cached reader.
 * From the cluster only, never from the alert's text. Secrets are never read (not a readable kind): a missing Secret
 * is named from the pod's reference and the kubelet's message, and its look-alikes from a names-only list.
 */
export interface RunbookFacts {
  target: Target;
  /** The workload the target resolved to, whatever its kind (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod). */
  workload?: Workload;
  /** Set when the workload is a Deployment (the rules that read revision history use it). */
  deployment?: KubeObject;
  /** Deployment revisions, newest first. */
  history: RevisionSummary[];
  pods: KubeObject[];
  service?: KubeObject;
  endpoints?: KubeObject;
  /** Read when a pod is Pending, the target is a node, or a node hosting the pods is not ready. */
  nodes?: NodeCapacity[];
  /** The Node objects behind `nodes` (conditions, labels, taints). */
  nodeObjects?: KubeObject[];
  /** Readiness-probe failures (reason Unhealthy) on the workload's pods. */
  unhealthyEvents: KubeObject[];
  /** FailedMount events on the workload's pods (a missing ConfigMap/Secret in a volume). */
  mountFailures?: KubeObject[];
  /** Every event of the namespace about the workload, its pods, its ReplicaSets/Jobs, its Service and HPA. */
  events?: KubeObject[];
  replicaSets?: KubeObject[];
  /** StatefulSet/DaemonSet ControllerRevisions (the rollback targets). */
  controllerRevisions?: KubeObject[];
  /** The pods read: every pod of the namespace for a Service or selector target, else the workload's (by selector). */
  namespacePods?: KubeObject[];
  deployments?: KubeObject[];
  services?: KubeObject[];
  /** ConfigMap names and their data keys (values are dropped on read). */
  configMaps?: Array<{ name: string; keys: string[]; updatedAt?: string }>;
  /** Secret names only (a metadata-only list, read when a pod misses a Secret): never their data or keys. */
  secretNames?: string[];
  quotas?: KubeObject[];
  limitRanges?: KubeObject[];
  hpas?: KubeObject[];
  pdbs?: KubeObject[];
  pvcs?: KubeObject[];
  storageClasses?: KubeObject[];
  jobs?: KubeObject[];
  /** Last lines of the failed container's previous (or current) log, keyed `pod/container`. Raw: rules fence and redact. */
  logs?: Record<string, string>;
}

const involved = (e: KubeObject) => (e.involvedObject as { kind?: string; name?: string } | undefined) ?? {};

/**
 * One read per incident of what the rules may need: first the workload, its pods (by selector), ReplicaSets, the
 * namespace's Services and events; then only what the pods and events point at (Jobs, ConfigMaps, quotas and
 * LimitRanges, claims and StorageClasses, ControllerRevisions, nodes, PDBs during a drain, the failed containers'
 * logs). The cluster-wide reads (nodes, with every pod for their requested resources) happen only when a pod is
 * Pending or sits on a node.
 */
export async function gatherRunbookFacts(reader: ClusterReader, target: Target): Promise<RunbookFacts> {
  const ns = target.namespace;
  if (target.kind === 'Node') return gatherNodeFacts(reader, target);
  // The workload's pods and ReplicaSets are read by its selector as soon as it is known; everything else in parallel.
  const workloadRead = readWorkload(reader, target);
  // Every pod of the namespace only where the question is about the namespace (a Service's selector, a bare
  // selector, a controller without one); else the workload's own pods.
  const namespaceWide = target.kind === 'Service' || !target.kind;
  const podsRead = namespaceWide
    ? reader.list('Pod', ns)
    : workloadRead.then((w) => (w?.kind === 'Pod' ? [w.object] : w?.selector ? reader.list('Pod', ns, { labelSelector: w.selector }) : reader.list('Pod', ns)));
  const [found, services, deployments, events, ownReplicaSets, namespacePods] = await Promise.all([
    workloadRead,
    reader.list('Service', ns),
    target.kind === 'Service' ? reader.list('Deployment', ns) : Promise.resolve([]),
    readEvents(reader, ns),
    workloadRead.then((w) => (w?.kind === 'Deployment' && w.selector ? reader.list('ReplicaSet', ns, { labelSelector: w.selector }) : [])),
    podsRead,
  ]);
  const service = target.kind === 'Service' && target.name ? services.find((s) => s.metadata.name === target.name) : undefined;
  // A Service's workload: the Deployment (or StatefulSet) whose pods its selector selects.
  const selected = service && !found ? deployments.find((d) => selects(service.spec?.selector, d.spec?.template?.metadata?.labels)) : undefined;
  const workload = found ?? (selected ? workloadFromObject('Deployment', selected) : undefined);
  const replicaSets = !found && workload?.selector ? await reader.list('ReplicaSet', ns, { labelSelector: workload.selector }) : ownReplicaSets;
  const facts: RunbookFacts = {
    target,
    workload,
    history: [],
    pods: [],
    service,
    unhealthyEvents: [],
    mountFailures: [],
    namespacePods,
    deployments,
    services,
  };
  // The namespace's other objects, each read only when the pods or events point at it (fewer requests per incident).
  const signals = readSignals(namespacePods, events);
  const [jobs, configMaps, quotas, limitRanges, hpas, pvcs, secretNames] = await Promise.all([
    signals.jobs || workload?.kind === 'CronJob' || workload?.kind === 'Job' ? reader.list('Job', ns).catch(() => []) : Promise.resolve([]),
    signals.config ? reader.list('ConfigMap', ns) : Promise.resolve([]),
    signals.admission ? reader.list('ResourceQuota', ns).catch(() => []) : Promise.resolve([]),
    signals.admission ? reader.list('LimitRange', ns).catch(() => []) : Promise.resolve([]),
    workload && workload.kind !== 'Pod' ? reader.list('HorizontalPodAutoscaler', ns).catch(() => []) : Promise.resolve([]),
    signals.claims ? reader.list('PersistentVolumeClaim', ns).catch(() => []) : Promise.resolve([]),
    // Names only, and only when a Secret is missing: enough to name the look-alikes, never their contents.
    signals.secret && reader.listSecretNames ? reader.listSecretNames(ns).catch(() => undefined) : Promise.resolve(undefined),
  ]);
  // A CronJob's pods: those of its most recent runs (older ones are history, and may be many).
  const ownJobs = workload?.kind === 'CronJob' ? recentJobsOf(workload.name, jobs) : jobs;
  Object.assign(facts, {
    jobs: workload?.kind === 'CronJob' ? ownJobs : jobs,
    configMaps: configMaps.map((c) => ({ name: c.metadata.name ?? '', keys: [...Object.keys(c.data ?? {}), ...Object.keys((c.binaryData as object) ?? {})], updatedAt: lastWrite(c) })),
    quotas,
    limitRanges,
    hpas,
    pvcs,
    secretNames,
  });
  if (workload) {
    facts.pods = workload.kind === 'Pod' ? [workload.object] : namespacePods.filter((p) => workload.ownsPod(p, replicaSets, ownJobs));
    if (workload.kind === 'Deployment') {
      facts.deployment = workload.object;
      facts.replicaSets = replicaSets.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === workload.name));
      facts.history = summariseHistory(workload.object, facts.replicaSets, facts.pods);
    }
    facts.service ??= services.find((s) => selects(s.spec?.selector, workload.podLabels));
  } else if (target.kind === 'Pod' && target.name) {
    facts.pods = namespacePods.filter((p) => p.metadata.name === target.name);
  } else if (target.selector) {
    const wanted = Object.fromEntries(target.selector.split(',').map((kv) => kv.split('=') as [string, string]));
    facts.pods = namespacePods.filter((p) => selects(wanted, p.metadata.labels));
  }
  if (facts.service?.metadata.name) facts.endpoints = await reader.get('Endpoints', ns, facts.service.metadata.name);

  const podNames = new Set(facts.pods.map((p) => p.metadata.name));
  const owners = new Set([workload?.name, ...(facts.replicaSets ?? []).map((r) => r.metadata.name), facts.service?.metadata.name, ...jobsOf(workload, ownJobs)].filter(Boolean));
  facts.events = events.filter((e) => podNames.has(involved(e).name) || owners.has(involved(e).name) || involved(e).kind === 'HorizontalPodAutoscaler' || involved(e).kind === 'PersistentVolumeClaim');
  facts.unhealthyEvents = facts.events.filter((e) => e.reason === 'Unhealthy' && podNames.has(involved(e).name));
  facts.mountFailures = facts.events.filter((e) => e.reason === 'FailedMount' && podNames.has(involved(e).name));

  const pending = facts.pods.some((p) => p.status?.phase === 'Pending' && !p.spec?.nodeName);
  const onNodes = new Set(facts.pods.map((p) => p.spec?.nodeName as string | undefined).filter(Boolean));
  const [nodes, logs, storageClasses, controllerRevisions] = await Promise.all([
    pending || onNodes.size > 0 ? readNodes(reader, pending) : Promise.resolve(undefined),
    readCrashLogs(reader, ns, facts.pods),
    facts.pvcs?.some((p) => p.status?.phase === 'Pending') ? reader.list('StorageClass', undefined).catch(() => []) : Promise.resolve(undefined),
    workload && (workload.kind === 'StatefulSet' || workload.kind === 'DaemonSet')
      ? reader.list('ControllerRevision', ns).then((all) => all.filter((r) => r.metadata.ownerReferences?.some((o) => o.kind === workload.kind && o.name === workload.name)))
      : Promise.resolve(undefined),
  ]);
  if (nodes) {
    facts.nodes = nodes.capacity;
    facts.nodeObjects = nodes.objects;
  }
  // A PodDisruptionBudget matters only while a node hosting the pods is cordoned (a drain), or an eviction was refused.
  const draining = nodes?.objects.some((n) => n.spec?.unschedulable && onNodes.has(n.metadata.name));
  const refused = facts.events.some((e) => /disruption budget|Cannot evict/i.test(String(e.message ?? '')));
  facts.pdbs = draining || refused ? await reader.list('PodDisruptionBudget', ns).catch(() => []) : [];
  facts.logs = logs;
  facts.storageClasses = storageClasses;
  facts.controllerRevisions = controllerRevisions;
  return facts;
}

/** When an object was last written: the newest managedFields time, else its creation. */
function lastWrite(o: KubeObject): string | undefined {
  const times = ((o.metadata.managedFields as Array<{ time?: string }> | undefined) ?? []).map((f) => f.time ?? '').filter(Boolean).sort();
  return times.at(-1) ?? o.metadata.creationTimestamp;
}

/** How many of a CronJob's runs are read: its history limits keep 3 successful and 1 failed by default. */
export const MAX_CRONJOB_RUNS = 5;

/** The CronJob's Jobs, newest first, at most MAX_CRONJOB_RUNS. */
function recentJobsOf(cronJob: string, jobs: KubeObject[]): KubeObject[] {
  const started = (j: KubeObject) => String(j.status?.startTime ?? j.metadata.creationTimestamp ?? '');
  return jobs
    .filter((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === cronJob))
    .sort((a, b) => started(b).localeCompare(started(a)))
    .slice(0, MAX_CRONJOB_RUNS);
}

function jobsOf(workload: Workload | undefined, jobs: KubeObject[]): string[] {
  if (!workload) return [];
  if (workload.kind === 'Job') return [workload.name];
  if (workload.kind === 'CronJob') return jobs.filter((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === workload.name)).map((j) => j.metadata.name ?? '');
  return [];
}

/** Which namespace objects the pods and events point at. */
function readSignals(pods: KubeObject[], events: KubeObject[]): { jobs: boolean; config: boolean; admission: boolean; claims: boolean; secret: boolean } {
  const waiting = pods.flatMap((p) => statusesOf(p).map((s) => s.state?.waiting?.reason ?? ''));
  const messages = [...pods.flatMap((p) => statusesOf(p).map((s) => String(s.state?.waiting?.message ?? ''))), ...events.filter((e) => e.reason === 'FailedMount').map((e) => String(e.message ?? ''))];
  return {
    jobs: pods.some((p) => p.metadata.ownerReferences?.some((o) => o.kind === 'Job')),
    // Config errors, and any failing container: a crash may have started with a ConfigMap change.
    config: waiting.some((r) => r && r !== 'ContainerCreating' && r !== 'PodInitializing') || events.some((e) => e.reason === 'FailedMount') || failingContainers(pods).length > 0,
    admission: events.some((e) => e.reason === 'FailedCreate'),
    claims: pods.some((p) => p.status?.phase === 'Pending' && ((p.spec?.volumes as Array<{ persistentVolumeClaim?: unknown }>) ?? []).some((v) => v.persistentVolumeClaim)),
    // The kubelet's words for a missing Secret or key: `secret "x" not found`, `couldn't find key k in Secret ns/x`.
    secret: messages.some((m) => /secret "[^"]+" not found|in Secret \S+/i.test(m)),
  };
}

/**
 * Warning events of the namespace, plus the two Normal reasons the rules read (a scale-down's recorded count, a
 * liveness kill). Field selectors cannot OR, so three reads; each far smaller than every event of the namespace.
 */
async function readEvents(reader: ClusterReader, ns: string): Promise<KubeObject[]> {
  const lists = await Promise.all([
    reader.list('Event', ns, { fieldSelector: 'type=Warning' }),
    reader.list('Event', ns, { fieldSelector: 'reason=ScalingReplicaSet' }),
    reader.list('Event', ns, { fieldSelector: 'reason=Killing' }),
  ]);
  const seen = new Set<string>();
  return lists.flat().filter((e) => {
    const key = e.metadata.uid ?? `${e.metadata.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Node objects always; capacity (which lists every pod) only when a pod is Pending. */
async function readNodes(reader: ClusterReader, withCapacity: boolean): Promise<{ capacity?: NodeCapacity[]; objects: KubeObject[] }> {
  const [objects, capacity] = await Promise.all([reader.list('Node', undefined), withCapacity ? readNodeCapacity(reader).then((n) => withCordonTimes(reader, n)) : undefined]);
  return { objects, capacity };
}

async function gatherNodeFacts(reader: ClusterReader, target: Target): Promise<RunbookFacts> {
  const node = target.name ? await reader.get('Node', undefined, target.name) : undefined;
  const pods = target.name ? await reader.list('Pod', undefined, { fieldSelector: `spec.nodeName=${target.name}` }) : [];
  return { target, history: [], pods, unhealthyEvents: [], nodeObjects: node ? [node] : [], nodes: target.name ? await readNodeCapacity(reader, target.name) : [] };
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
    const node = involved(e).name;
    const at = String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '');
    if (node && e.reason === 'NodeNotSchedulable' && at > (latest.get(node) ?? '')) latest.set(node, at);
  }
  return nodes.map((n) => (n.cordoned && !n.cordonedAt && latest.has(n.name) ? { ...n, cordonedAt: latest.get(n.name) } : n));
}

