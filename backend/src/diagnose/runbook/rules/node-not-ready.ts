import type { KubeObject } from '../../../domain/kube.js';
import type { RunbookRule } from '../rule-types.js';
import { nameOf } from '../rule-helpers.js';

const readyOf = (n: KubeObject) => ((n.status?.conditions as Array<{ type: string; status: string; reason?: string; message?: string; lastHeartbeatTime?: string }>) ?? []).find((c) => c.type === 'Ready');

/** A node NotReady or unreachable (kubelet stopped posting status), and the pods on it. */
export const nodeNotReadyRule: RunbookRule = {
  id: 'node-not-ready',
  class: 'node',
  diagnose(facts) {
    const hosting = new Set(facts.pods.map((p) => p.spec?.nodeName as string | undefined).filter(Boolean));
    const bad = (facts.nodeObjects ?? []).filter((n) => (facts.target.kind === 'Node' || hosting.has(n.metadata.name)) && readyOf(n)?.status !== 'True');
    if (bad.length === 0) return undefined;
    const node = bad[0];
    const ready = readyOf(node);
    const affected = facts.pods.filter((p) => p.spec?.nodeName === node.metadata.name);
    const unreachable = ready?.status === 'Unknown' || (node.spec?.taints as Array<{ key: string }> | undefined)?.some((t) => t.key === 'node.kubernetes.io/unreachable');
    const state = unreachable ? 'unreachable (the kubelet stopped posting status)' : 'NotReady';
    const who = facts.target.kind === 'Node' ? '' : ` hosting pods of ${nameOf(facts)}`;
    return {
      rootCause: `node ${node.metadata.name}${who} is ${state}${ready?.reason ? ` (${ready.reason})` : ''}; ${affected.length} pod(s) on it are affected`,
      confidence: 0.8,
      evidence: [
        { fact: `node ${node.metadata.name}: Ready=${ready?.status ?? 'missing'} ${ready?.reason ?? ''}: ${String(ready?.message ?? '').slice(0, 200)}${ready?.lastHeartbeatTime ? ` (last heartbeat ${ready.lastHeartbeatTime})` : ''}`, source: 'check_node_capacity' },
        { fact: `pods on ${node.metadata.name}: ${affected.slice(0, 8).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ') || 'none'}${affected.length > 8 ? ` and ${affected.length - 8} more` : ''}`, source: 'list_pods' },
      ],
      humanStep: `recover or replace node ${node.metadata.name} (kubelet, network, the machine); controllers reschedule its pods after the eviction timeout`,
    };
  },
};
