// The scheduler's pure core: which nodes a pod fits, the real "0/3 nodes are available: ..." message, and
// least-requested scoring. Filter order and reason texts follow kube-scheduler's default plugins
// (pkg/scheduler/framework/plugins: nodeunschedulable, tainttoleration, nodeaffinity, noderesources/fit.go,
// interpodaffinity/filtering.go) and the message layout of FitError.Error() (pkg/scheduler/framework/types.go).
import type { SimObject } from '../store/types.js';
import { interPodAffinityFailure } from './pod-affinity.js';
import { quantityOr } from './quantity.js';

export interface Resources {
  cpu: number;
  memory: number;
  pods: number;
  /** Extended resources (nvidia.com/gpu, hugepages-2Mi ...): a node has none unless it advertises them. */
  scalar?: Record<string, number>;
}

/** One node's verdict: the reasons, and whether preemption could ever help (UnschedulableAndUnresolvable). */
export interface FitResult {
  reasons: string[];
  unresolvable: boolean;
}

export interface NodeInfo {
  node: SimObject;
  allocatable: Resources;
  requested: Resources;
  /** Pods bound to the node (inter-pod affinity looks at their labels). */
  pods?: SimObject[];
  /** Those of `pods` that carry required anti-affinity terms (checked against every incoming pod). */
  antiAffinityPods?: SimObject[];
  /** Requests with the scorer's non-zero defaults (100m / 200Mi) for pods that declare none. */
  scored?: { cpu: number; memory: number };
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

const NON_ZERO_CPU = 0.1;
const NON_ZERO_MEMORY = 200 * 2 ** 20;

const BASIC = new Set(['cpu', 'memory', 'pods', 'ephemeral-storage', 'storage']);

/** Sum of container requests (requests default to limits), at least the largest init container's. */
export function podRequests(pod: SimObject): Resources {
  type C = { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } };
  const of = (c: C, r: string): number => quantityOr(c.resources?.requests?.[r] ?? c.resources?.limits?.[r], 0);
  const containers = (pod.spec?.containers ?? []) as C[];
  const inits = (pod.spec?.initContainers ?? []) as C[];
  const sum = (r: string): number => containers.reduce((t, c) => t + of(c, r), 0);
  const maxInit = (r: string): number => inits.reduce((m, c) => Math.max(m, of(c, r)), 0);
  const out: Resources = { cpu: Math.max(sum('cpu'), maxInit('cpu')), memory: Math.max(sum('memory'), maxInit('memory')), pods: 1 };
  const names = new Set<string>();
  for (const c of [...containers, ...inits]) for (const r of Object.keys({ ...c.resources?.requests, ...c.resources?.limits })) if (!BASIC.has(r)) names.add(r);
  if (names.size) out.scalar = Object.fromEntries([...names].sort().map((r) => [r, Math.max(sum(r), maxInit(r))]));
  return out;
}

export function nodeAllocatable(node: SimObject): Resources {
  const a = (node.status?.allocatable ?? node.status?.capacity ?? {}) as Record<string, string>;
  const out: Resources = { cpu: quantityOr(a.cpu, 0), memory: quantityOr(a.memory, 0), pods: quantityOr(a.pods, 110) };
  const scalar = Object.entries(a).filter(([r]) => !BASIC.has(r));
  if (scalar.length) out.scalar = Object.fromEntries(scalar.map(([r, q]) => [r, quantityOr(q, 0)]));
  return out;
}

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

export function readyStatus(node: SimObject): string {
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  return ready?.status ?? 'Unknown';
}

/** Node taints, plus the not-ready/unreachable NoSchedule taint the lifecycle controller is about to add. */
export function effectiveTaints(node: SimObject): Taint[] {
  const taints = [...((node.spec?.taints ?? []) as Taint[])];
  const ready = readyStatus(node);
  if (ready !== 'True') {
    const key = ready === 'False' ? 'node.kubernetes.io/not-ready' : 'node.kubernetes.io/unreachable';
    if (!taints.some((t) => t.key === key && t.effect === 'NoSchedule')) taints.push({ key, effect: 'NoSchedule' });
  }
  return taints;
}

interface SelectorTerm {
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  matchFields?: Array<{ key: string; operator: string; values?: string[] }>;
}

function matchRequirement(value: string | undefined, op: string, values: string[]): boolean {
  switch (op) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

function matchesAffinity(pod: SimObject, node: SimObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries((pod.spec?.nodeSelector ?? {}) as Record<string, string>)) if (labels[k] !== v) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as SelectorTerm[] | undefined;
  if (!terms || terms.length === 0) return true;
  return terms.some(
    (term) =>
      (term.matchExpressions ?? []).every((e) => matchRequirement(labels[e.key], e.operator, e.values ?? [])) &&
      (term.matchFields ?? []).every((e) => matchRequirement(e.key === 'metadata.name' ? node.metadata.name : undefined, e.operator, e.values ?? [])),
  );
}

/**
 * The DaemonSet controller's NodeShouldRunDaemonPod: node name, affinity/selector and the node's own taints decide;
 * a daemon pod already there keeps running unless a NoExecute taint is untolerated (resources and cordon are ignored).
 */
export function daemonPodPlacement(pod: SimObject, node: SimObject): { shouldRun: boolean; shouldContinueRunning: boolean } {
  if (pod.spec?.nodeName && pod.spec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!matchesAffinity(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = pod.spec?.tolerations as Toleration[] | undefined;
  const untolerated = ((node.spec?.taints ?? []) as Taint[]).filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
  if (untolerated.length === 0) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !untolerated.some((t) => t.effect === 'NoExecute') };
}

const UNRESOLVABLE = new Set(['node(s) were unschedulable', "node(s) didn't match Pod's node affinity/selector", "node(s) didn't match pod affinity rules"]);

/** Why `pod` does not fit `info` (empty: it fits), in the real scheduler's words and filter order. */
export function fitFailures(pod: SimObject, info: NodeInfo, request: Resources = podRequests(pod), cluster: NodeInfo[] = []): string[] {
  return fitNode(pod, info, request, cluster).reasons;
}

/** The Filter phase for one node: the first failing plugin's reasons (NodeResourcesFit reports all its shortfalls). */
export function fitNode(pod: SimObject, info: NodeInfo, request: Resources = podRequests(pod), cluster: NodeInfo[] = []): FitResult {
  const tolerations = pod.spec?.tolerations as Toleration[] | undefined;
  const node = info.node;
  if (node.spec?.unschedulable && !tolerates(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
    return { reasons: ['node(s) were unschedulable'], unresolvable: true };
  }
  const untolerated = effectiveTaints(node).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
  if (untolerated) return { reasons: [`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`], unresolvable: true };
  if (!matchesAffinity(pod, node)) return { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true };
  // noderesources/fit.go: a request larger than the node's whole allocatable cannot be helped by preemption.
  const out: string[] = [];
  let unresolvable = false;
  const short = (name: string, want: number, used: number, alloc: number, epsilon = 0): void => {
    if (want > 0 && used + want > alloc + epsilon) {
      out.push(name === 'pods' ? 'Too many pods' : `Insufficient ${name}`);
      if (want > alloc + epsilon) unresolvable = true;
    }
  };
  short('pods', 1, info.requested.pods, info.allocatable.pods);
  short('cpu', request.cpu, info.requested.cpu, info.allocatable.cpu, 1e-9);
  short('memory', request.memory, info.requested.memory, info.allocatable.memory);
  for (const [r, want] of Object.entries(request.scalar ?? {})) short(r, want, info.requested.scalar?.[r] ?? 0, info.allocatable.scalar?.[r] ?? 0);
  if (out.length) return { reasons: out, unresolvable };
  const affinity = interPodAffinityFailure(pod, info, cluster);
  if (affinity) return { reasons: [affinity], unresolvable: UNRESOLVABLE.has(affinity) };
  return { reasons: [], unresolvable: false };
}

/**
 * "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory. preemption: ..." — FitError.Error():
 * reasons counted per node and sorted as strings; a PreFilter rejection replaces the per-node part with its message.
 */
export function unschedulableMessage(failuresByNode: Array<string[] | FitResult>, preFilterMessage?: string): string {
  const total = failuresByNode.length;
  if (total === 0) return 'no nodes available to schedule pods';
  const format = (m: Map<string, number>): string =>
    [...m.entries()]
      .map(([r, n]) => `${n} ${r}`)
      .sort()
      .join(', ');
  if (preFilterMessage) return `0/${total} nodes are available: ${preFilterMessage}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
  const counts = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const f of failuresByNode) {
    const result: FitResult = Array.isArray(f) ? { reasons: f, unresolvable: f.some((r) => UNRESOLVABLE.has(r) || r.startsWith('node(s) had untolerated taint')) } : f;
    for (const r of result.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const p = result.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod';
    preemption.set(p, (preemption.get(p) ?? 0) + 1);
  }
  return `0/${total} nodes are available: ${format(counts)}. preemption: 0/${total} nodes are available: ${format(preemption)}.`;
}

/** Least-requested score (higher is better); pods without requests count as 100m / 200Mi like the real scorer. */
export function leastRequestedScore(info: NodeInfo, request: Resources): number {
  const cpu = request.cpu || NON_ZERO_CPU;
  const memory = request.memory || NON_ZERO_MEMORY;
  const used = info.scored ?? info.requested;
  const free = (alloc: number, u: number, want: number): number => (alloc > 0 ? Math.max(0, alloc - u - want) / alloc : 0);
  return (free(info.allocatable.cpu, used.cpu, cpu) + free(info.allocatable.memory, used.memory, memory)) / 2;
}

/** Adds a bound pod's requests to a node's usage (and, for ranking only, its non-zero-defaulted requests). */
export function addUsage(info: NodeInfo, request: Resources, pod?: SimObject): void {
  info.requested.cpu += request.cpu;
  info.requested.memory += request.memory;
  info.requested.pods += 1;
  for (const [r, n] of Object.entries(request.scalar ?? {})) {
    info.requested.scalar ??= {};
    info.requested.scalar[r] = (info.requested.scalar[r] ?? 0) + n;
  }
  if (pod) {
    info.pods?.push(pod);
    if (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) (info.antiAffinityPods ??= []).push(pod);
  }
  info.scored ??= { cpu: 0, memory: 0 };
  info.scored.cpu += request.cpu || NON_ZERO_CPU;
  info.scored.memory += request.memory || NON_ZERO_MEMORY;
}
