// The request of a whole pod for one resource, as the scheduler counts it against a node's allocatable.
import { cpuMillis, memoryMi, parseQuantity } from './quantity.js';

type Resources = { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
type Container = { name?: string; restartPolicy?: string; resources?: Resources };

/** One resource's amount in the unit the caller reads: millicores for cpu, MiB for memory, base units otherwise. */
export function amountOf(resource: string, value: unknown): number | undefined {
  if (resource === 'cpu') return cpuMillis(value);
  if (resource === 'memory') return memoryMi(value);
  return parseQuantity(value);
}

/** A container's request; an unset request defaults to the limit (API defaulting, and the rule for extended resources). */
function requestOf(c: Container, resource: string): number {
  return amountOf(resource, c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource]) ?? 0;
}

/**
 * The pod's effective request for `resource`: init containers run one at a time before the main containers, so it is
 * max(the largest init container, the sum of the main containers), where native sidecars (init containers with
 * restartPolicy: Always) keep running and count with every init container after them and with the main containers;
 * plus the pod's overhead. Whether any container names the resource at all is in `named`.
 */
export function effectiveRequest(spec: { containers?: unknown; initContainers?: unknown; overhead?: unknown } | undefined, resource: string): { amount: number; named: boolean } {
  const init = (spec?.initContainers as Container[] | undefined) ?? [];
  const main = (spec?.containers as Container[] | undefined) ?? [];
  const named = [...init, ...main].some((c) => c.resources?.requests?.[resource] !== undefined || c.resources?.limits?.[resource] !== undefined);
  let sidecars = 0;
  let largestInit = 0;
  for (const c of init) {
    const r = requestOf(c, resource);
    if (c.restartPolicy === 'Always') {
      sidecars += r;
      largestInit = Math.max(largestInit, sidecars);
    } else largestInit = Math.max(largestInit, sidecars + r);
  }
  const running = sidecars + main.reduce((n, c) => n + requestOf(c, resource), 0);
  const overhead = amountOf(resource, (spec?.overhead as Record<string, unknown> | undefined)?.[resource]) ?? 0;
  return { amount: Math.max(largestInit, running) + overhead, named };
}

/** The resources other than cpu, memory and pods that a pod's containers request (extended resources, ephemeral storage). */
export function otherResourcesOf(pod: { spec?: { containers?: unknown; initContainers?: unknown } }): string[] {
  const all = [...((pod.spec?.initContainers as Container[]) ?? []), ...((pod.spec?.containers as Container[]) ?? [])];
  const names = all.flatMap((c) => [...Object.keys(c.resources?.requests ?? {}), ...Object.keys(c.resources?.limits ?? {})]);
  return [...new Set(names)].filter((n) => n !== 'cpu' && n !== 'memory');
}
