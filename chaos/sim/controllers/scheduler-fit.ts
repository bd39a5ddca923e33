// The scheduler's pure core: which nodes a pod fits, the real "0/3 nodes are available: ..." message, and
// least-requested scoring.
import type { SimObject } from '../store/types.js';
import { quantityOr } from './quantity.js';

export interface Resources {
  cpu: number;
  memory: number;
  pods: number;
}

export interface NodeInfo {
  node: SimObject;
  allocatable: Resources;
  requested: Resources;
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

/** Sum of container requests (requests default to limits), at least the largest init container's. */
export function podRequests(pod: SimObject): Resources {
  const of = (c: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }, r: string): number =>
    quantityOr(c.resources?.requests?.[r] ?? c.resources?.limits?.[r], 0);
  const containers = (pod.spec?.containers ?? []) as Array<Parameters<typeof of>[0]>;
  const inits = (pod.spec?.initContainers ?? []) as Array<Parameters<typeof of>[0]>;
  const sum = (r: string): number => containers.reduce((t, c) => t + of(c, r), 0);
  const maxInit = (r: string): number => inits.reduce((m, c) => Math.max(m, of(c, r)), 0);
  return { cpu: Math.max(sum('cpu'), maxInit('cpu')), memory: Math.max(sum('memory'), maxInit('memory')), pods: 1 };
}

export function nodeAllocatable(node: SimObject): Resources {
  const a = (node.status?.allocatable ?? node.status?.capacity ?? {}) as Record<string, string>;
  return { cpu: quantityOr(a.cpu, 0), memory: quantityOr(a.memory, 0), pods: quantityOr(a.pods, 110) };
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

const UNRESOLVABLE = new Set(['node(s) were unschedulable', "node(s) didn't match Pod's node affinity/selector"]);

/** Why `pod` does not fit `info` (empty: it fits), in the real scheduler's words and filter order. */
export function fitFailures(pod: SimObject, info: NodeInfo, request: Resources = podRequests(pod)): string[] {
  const tolerations = pod.spec?.tolerations as Toleration[] | undefined;
  const node = info.node;
  if (node.spec?.unschedulable && !tolerates(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
    return ['node(s) were unschedulable'];
  }
  const untolerated = effectiveTaints(node).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
  if (untolerated) return [`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`];
  if (!matchesAffinity(pod, node)) return ["node(s) didn't match Pod's node affinity/selector"];
  const out: string[] = [];
  if (info.requested.pods + 1 > info.allocatable.pods) out.push('Too many pods');
  if (request.cpu > 0 && info.requested.cpu + request.cpu > info.allocatable.cpu + 1e-9) out.push('Insufficient cpu');
  if (request.memory > 0 && info.requested.memory + request.memory > info.allocatable.memory) out.push('Insufficient memory');
  return out;
}

/** "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory. preemption: ..." */
export function unschedulableMessage(failuresByNode: string[][]): string {
  const total = failuresByNode.length;
  if (total === 0) return 'no nodes available to schedule pods';
  const counts = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const reasons of failuresByNode) {
    for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const unresolvable = reasons.some((r) => UNRESOLVABLE.has(r) || r.startsWith('node(s) had untolerated taint'));
    const p = unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod';
    preemption.set(p, (preemption.get(p) ?? 0) + 1);
  }
  const format = (m: Map<string, number>): string =>
    [...m.entries()]
      .map(([r, n]) => `${n} ${r}`)
      .sort()
      .join(', ');
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
export function addUsage(info: NodeInfo, request: Resources): void {
  info.requested.cpu += request.cpu;
  info.requested.memory += request.memory;
  info.requested.pods += 1;
  info.scored ??= { cpu: 0, memory: 0 };
  info.scored.cpu += request.cpu || NON_ZERO_CPU;
  info.scored.memory += request.memory || NON_ZERO_MEMORY;
}
