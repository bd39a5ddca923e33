import { z } from 'zod/v4';
import type { ClusterReader } from '../domain/ports.js';
import type { KubeObject } from '../domain/kube.js';
import { defineTool } from './types.js';
import { nameSchema } from './schemas.js';
import { cpuMillis, memoryMi } from '../kube/quantity.js';
import { effectiveRequest, otherResourcesOf } from '../kube/pod-requests.js';

const MAX_NODES = 50;
const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

export interface NodeCapacity {
  name: string;
  ready: boolean;
  cordoned: boolean;
  /** When the node was cordoned, from the unschedulable taint's timeAdded, when known. */
  cordonedAt?: string;
  pressure: string[];
  taints: string[];
  allocatable: { cpuMillis: number; memoryMi: number; pods: number };
  requested: { cpuMillis: number; memoryMi: number; pods: number };
  /** Requested amounts of other resources (extended resources such as nvidia.com/gpu), by name, when any pod asks. */
  requestedOther?: Record<string, number>;
  labels?: Record<string, string>;
}

/** The pods' effective requests (what the scheduler counts against allocatable; init containers and overhead included). */
export function sumRequests(pods: readonly KubeObject[]): { cpuMillis: number; memoryMi: number; pods: number } {
  let cpu = 0;
  let mem = 0;
  for (const pod of pods) {
    cpu += effectiveRequest(pod.spec, 'cpu').amount;
    mem += effectiveRequest(pod.spec, 'memory').amount;
  }
  return { cpuMillis: cpu, memoryMi: mem, pods: pods.length };
}

/** The pods' effective requests of every resource other than cpu and memory, by name (absent when none asks). */
export function sumOtherRequests(pods: readonly KubeObject[]): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const pod of pods) {
    for (const resource of otherResourcesOf(pod)) out[resource] = (out[resource] ?? 0) + effectiveRequest(pod.spec, resource).amount;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Nodes with allocatable vs requested resources, readiness, pressure, cordon state and taints. */
export async function readNodeCapacity(reader: ClusterReader, only?: string): Promise<NodeCapacity[]> {
  const [nodes, pods] = await Promise.all([
    only ? reader.get('Node', undefined, only).then((n) => (n ? [n] : [])) : reader.list('Node', undefined),
    reader.list('Pod', undefined, { fieldSelector: only ? `spec.nodeName=${only}` : 'status.phase!=Succeeded,status.phase!=Failed' }),
  ]);
  const byNode = new Map<string, KubeObject[]>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName as string | undefined;
    if (!node || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  return nodes.slice(0, MAX_NODES).map((n) => {
    const conditions = (n.status?.conditions as Array<{ type: string; status: string }>) ?? [];
    const taints = (n.spec?.taints as Array<{ key: string; value?: string; effect: string; timeAdded?: string }>) ?? [];
    const alloc = n.status?.allocatable ?? {};
    return {
      name: n.metadata.name ?? '?',
      ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
      cordoned: n.spec?.unschedulable === true,
      cordonedAt: taints.find((t) => t.key === UNSCHEDULABLE_TAINT)?.timeAdded,
      pressure: conditions.filter((c) => c.type !== 'Ready' && c.status === 'True').map((c) => c.type),
      taints: taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
      allocatable: { cpuMillis: cpuMillis(alloc.cpu) ?? 0, memoryMi: memoryMi(alloc.memory) ?? 0, pods: Number(alloc.pods ?? 0) },
      requested: sumRequests(byNode.get(n.metadata.name ?? '') ?? []),
      ...withOther(sumOtherRequests(byNode.get(n.metadata.name ?? '') ?? [])),
      labels: n.metadata.labels,
    };
  });
}

const withOther = (other: Record<string, number> | undefined) => (other ? { requestedOther: other } : {});

export const checkNodeCapacity = defineTool({
  name: 'check_node_capacity',
  description: `Per node (at most ${MAX_NODES}): allocatable vs requested CPU, memory and pods, Ready and pressure conditions, whether it is cordoned, and taints.`,
  inputSchema: z.object({ node: nameSchema.optional().describe('One node; omit for all') }),
  async handler({ node }, { reader }) {
    const nodes = await readNodeCapacity(reader, node);
    if (nodes.length === 0) return { status: 'no_data', message: node ? `node ${node} not found` : 'no nodes' };
    return { status: 'success', data: { nodes: nodes.map(({ labels: _l, ...rest }) => rest) } };
  },
});
