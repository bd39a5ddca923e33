// Node registration and heartbeats: the kubelet side of a node's life. A node annotated
// sim.oncall-agent.dev/heartbeat=stop is a dead kubelet: it stops heartbeating and its pods freeze.
import type { SimClock } from '../controllers/clock.js';
import type { SimObject, SimStore } from '../store/types.js';
import { newObject, unconditional } from '../controllers/sim-object.js';
import { isoNow } from './pod-runtime.js';

export const HEARTBEAT_ANNOTATION = 'sim.oncall-agent.dev/heartbeat';
export const SIM_NODE_LABEL = 'sim.oncall-agent.dev/simulated';
/** Node status heartbeats are real seconds, never scaled. */
export const HEARTBEAT_REAL_MS = 10_000;
/** The Lease is renewed every 10 cluster seconds, so the lifecycle controller's 40 s grace can be scaled. */
export const LEASE_RENEW_SECONDS = 10;

/** Reasons this kubelet (or the lifecycle controller) writes; any other Ready reason was patched by a person and sticks. */
const OWN_READY_REASONS = new Set(['KubeletReady', 'NodeStatusUnknown']);

export interface NodeCapacity {
  cpu: string;
  memory: string;
  pods: string;
}

export const DEFAULT_CAPACITY: NodeCapacity = { cpu: '4', memory: '8Gi', pods: '110' };

/** The last time each node's kubelet renewed its lease (real ms); read by the node lifecycle controller. */
export type NodeHealth = Map<string, number>;

export function buildNode(name: string, index: number, capacity: NodeCapacity, now: number): SimObject {
  const at = isoNow(now);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: at,
    lastTransitionTime: at,
    reason,
    message,
  });
  return newObject(
    'v1',
    'Node',
    {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        [SIM_NODE_LABEL]: 'kube-sim',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    {
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`] },
    status: {
      capacity: { cpu: capacity.cpu, 'ephemeral-storage': '100Gi', memory: capacity.memory, pods: capacity.pods },
      allocatable: { cpu: capacity.cpu, 'ephemeral-storage': '100Gi', memory: capacity.memory, pods: capacity.pods },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: `kube-sim-${index}`,
        systemUUID: `00000000-0000-0000-0000-${String(index).padStart(12, '0')}`,
        bootID: `kube-sim-boot-${index}`,
        kernelVersion: '6.1.0-kube-sim',
        osImage: 'kube-sim (Debian GNU/Linux 12 (bookworm))',
        containerRuntimeVersion: 'containerd://1.7.13',
        kubeletVersion: 'v1.32.0',
        kubeProxyVersion: 'v1.32.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
    },
  );
}

export function isHeartbeatStopped(node: SimObject | undefined, stopList: ReadonlySet<string>): boolean {
  if (!node) return true;
  return stopList.has(node.metadata.name) || node.metadata.annotations?.[HEARTBEAT_ANNOTATION] === 'stop';
}

/** Node status after one heartbeat: fresh lastHeartbeatTime, Ready=True unless a person patched it otherwise. */
export function heartbeatStatus(node: SimObject, now: number): Record<string, unknown> {
  const at = isoNow(now);
  const conditions = ((node.status?.conditions ?? []) as Array<Record<string, unknown>>).map((c) => {
    const next: Record<string, unknown> = { ...c, lastHeartbeatTime: at };
    if (c.type === 'Ready' && (c.status === 'True' || OWN_READY_REASONS.has(String(c.reason)))) {
      if (c.status !== 'True') next.lastTransitionTime = at;
      Object.assign(next, { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    }
    return next;
  });
  return { ...node.status, conditions };
}

/** Registers the node (or adopts an existing one) and returns it. */
export function registerNode(store: SimStore, name: string, index: number, capacity: NodeCapacity, now: number): void {
  const existing = store.get('nodes', undefined, name);
  if (existing) return;
  const created = store.create('nodes', buildNode(name, index, capacity, now), { skipAdmission: true });
  // Some stores drop status on create (as the real API does): write it through the status subresource.
  if (!created.status?.conditions) store.updateStatus('nodes', { ...created, status: buildNode(name, index, capacity, now).status }, { skipAdmission: true });
}

export function renewLease(store: SimStore, clock: SimClock, nodeName: string): void {
  const now = new Date(clock.now()).toISOString().replace('Z', '000Z');
  const existing = store.get('leases', 'kube-node-lease', nodeName);
  const spec = { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: now };
  if (existing) {
    store.update('leases', unconditional(existing, { spec: { ...existing.spec, ...spec } }), { skipAdmission: true });
    return;
  }
  const node = store.get('nodes', undefined, nodeName);
  const lease = newObject(
    'coordination.k8s.io/v1',
    'Lease',
    {
      name: nodeName,
      namespace: 'kube-node-lease',
      ownerReferences: node ? [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid }] : undefined,
    },
    { spec },
  );
  store.create('leases', lease, { skipAdmission: true });
}
