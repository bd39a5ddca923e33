import { parseQuantity } from '../kube/quantity.js';
import type { ParsedKubectl } from './parse.js';

/**
 * How big a change is, as data. The static checks read only the command (replica counts past the cap, absurd
 * resource values, many objects); the cluster checks (see blast-radius.ts) compare with the current state.
 */
export const MAGNITUDE = {
  /** Replica count above which a scale (or a patch of replicas) is high, whatever the current count. Overridable by policy. */
  defaultMaxReplicas: 50,
  /** A scale-up to more than this many times the current count, and by at least `scaleUpMinStep` replicas, is high. */
  scaleUpFactor: 3,
  scaleUpMinStep: 5,
  /** A request or limit changed by this factor or more (up or down) from the current value is high. */
  resourceFactor: 4,
  /** Outside these bounds a CPU or memory quantity is absurd for one container. */
  cpuCores: { min: 0.01, max: 64 },
  memoryBytes: { min: 16 * 2 ** 20, max: 256 * 2 ** 30 },
  /** One command naming more objects than this (or more nodes than `maxNodes`) is high. */
  maxObjects: 5,
  maxNodes: 2,
} as const;

/** What the cluster checks need of a workload (blast-radius.ts's WorkloadFact has it). */
export interface MagnitudeWorkload {
  kind: string;
  namespace: string;
  name: string;
  desired: number;
  recordedReplicas?: number;
  containers?: Array<{ name: string; limits: Record<string, string>; requests: Record<string, string> }>;
}

export interface MagnitudeLimits {
  maxReplicas: number;
}

/** Resource quantities a `set resources` command sets: "--limits=cpu=2,memory=1Gi" → [{kind, resource, value}]. */
export function quantitiesOf(cmd: ParsedKubectl): Array<{ kind: string; resource: string; value: string }> {
  const out: Array<{ kind: string; resource: string; value: string }> = [];
  if (cmd.commandPath.join(' ') === 'set resources') {
    for (const f of cmd.flagList) {
      if ((f.name !== 'limits' && f.name !== 'requests') || typeof f.value !== 'string') continue;
      for (const pair of f.value.split(',')) {
        const [resource, value = ''] = pair.split('=');
        out.push({ kind: f.name, resource: resource.trim().toLowerCase(), value: value.trim() });
      }
    }
  }
  return [...out, ...(cmd.patch?.quantities ?? [])];
}

/** Why a quantity is absurd for one container, or undefined. Unparseable quantities are kubectl's to refuse. */
export function absurdQuantity(q: { kind: string; resource: string; value: string }): string | undefined {
  const n = parseQuantity(q.value);
  if (n === undefined) return undefined;
  const bounds = q.resource === 'cpu' ? MAGNITUDE.cpuCores : q.resource === 'memory' ? MAGNITUDE.memoryBytes : undefined;
  if (!bounds) return undefined;
  if (n < bounds.min) return `${q.kind} ${q.resource}=${q.value} is below any workable value`;
  if (n > bounds.max) return `${q.kind} ${q.resource}=${q.value} is beyond any single container`;
  return undefined;
}

/** Replica counts the command sets: --replicas, or replica fields in a patch body. */
export const replicaCountsOf = (cmd: ParsedKubectl): number[] => [
  ...(cmd.replicas !== undefined ? [cmd.replicas] : []),
  ...(cmd.patch?.replicaValues ?? []),
  // autoscale --min/--max bound what the HPA will scale to.
  ...(cmd.verb === 'autoscale' ? cmd.flagList.filter((f) => (f.name === 'max' || f.name === 'min') && typeof f.value === 'string').map((f) => Number(f.value)).filter(Number.isFinite) : []),
];

/** Static magnitude findings: the command alone says the change is large. */
export function staticMagnitude(cmd: ParsedKubectl, limits: MagnitudeLimits): string[] {
  const out: string[] = [];
  const above = replicaCountsOf(cmd).filter((n) => n > limits.maxReplicas);
  if (above.length > 0) out.push(`sets ${Math.max(...above)} replicas, above the cap of ${limits.maxReplicas}`);
  for (const q of quantitiesOf(cmd)) {
    const why = absurdQuantity(q);
    if (why) out.push(why);
  }
  const nodes = cmd.targets.filter((t) => t.resource === 'nodes' && t.name !== undefined).length;
  if (nodes > MAGNITUDE.maxNodes) out.push(`names ${nodes} nodes in one command`);
  else if (cmd.names.length > MAGNITUDE.maxObjects) out.push(`names ${cmd.names.length} objects in one command`);
  return out;
}

/**
 * Magnitude against the cluster as it is: a scale-up far beyond both the current and the largest recorded count, and
 * requests or limits moved by a large factor from the container's current value.
 */
export function clusterMagnitude(cmd: ParsedKubectl, workloads: readonly MagnitudeWorkload[]): string[] {
  const out: string[] = [];
  const counts = replicaCountsOf(cmd);
  for (const w of workloads) {
    const baseline = Math.max(w.desired, w.recordedReplicas ?? 0);
    for (const n of counts) {
      if (n > baseline * MAGNITUDE.scaleUpFactor && n - baseline >= MAGNITUDE.scaleUpMinStep) {
        out.push(`scales ${w.kind} ${w.namespace}/${w.name} to ${n}, far beyond its ${w.desired} (largest recorded ${w.recordedReplicas ?? w.desired})`);
      }
    }
    const chosen = typeof cmd.flags.containers === 'string' && cmd.flags.containers !== '*' ? cmd.flags.containers.split(',') : undefined;
    for (const q of quantitiesOf(cmd)) {
      for (const c of (w.containers ?? []).filter((x) => !chosen || chosen.includes(x.name))) {
        const now = parseQuantity((q.kind === 'limits' ? c.limits : c.requests)[q.resource]);
        const next = parseQuantity(q.value);
        if (now === undefined || next === undefined || now <= 0) continue;
        const factor = next / now;
        if (factor >= MAGNITUDE.resourceFactor || factor <= 1 / MAGNITUDE.resourceFactor) {
          out.push(`changes ${q.kind} ${q.resource} of ${w.name}/${c.name} from ${(q.kind === 'limits' ? c.limits : c.requests)[q.resource]} to ${q.value} (×${factor >= 1 ? factor.toFixed(1) : `1/${(1 / factor).toFixed(1)}`})`);
        }
      }
    }
  }
  return out;
}
