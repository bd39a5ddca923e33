import type { KubeObject } from '../../../domain/kube.js';
import type { RunbookRule } from '../rule-types.js';
import { nameOf } from '../rule-helpers.js';

const readyOf = (n: KubeObject) => ((n.status?.conditions as Array<{ type: string; status: string; reason?: string; message?: string; lastHeartbeatTime?: string }>) ?? []).find((c) => c.type === 'Ready');

/** "a, b, c and 4 more": the first few names, so a root cause stays one sentence on a node with many pods. */
function listNames(names: string[], shown: number): string {
  return `${names.slice(0, shown).join(', ')}${names.length > shown ? ` and ${names.length - shown} more` : ''}`;
}

/** A node NotReady or unreachable (kubelet stopped posting status), and the pods on it, named. */
export const nodeNotReadyRule: RunbookRule = {
  id: 'node-not-ready',
  class: 'node',
  diagnose(facts) {
    // Pods that ended (Succeeded, Failed: a Job's spent pods) lose nothing with their node: they are not affected.
    const live = facts.pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const hosting = new Set(live.map((p) => p.spec?.nodeName as string | undefined).filter(Boolean));
    const bad = (facts.nodeObjects ?? []).filter((n) => (facts.target.kind === 'Node' || hosting.has(n.metadata.name)) && readyOf(n)?.status !== 'True');
    if (bad.length === 0) return undefined;
    const node = bad[0];
    const ready = readyOf(node);
    const affected = live.filter((p) => p.spec?.nodeName === node.metadata.name);
    const unreachable = ready?.status === 'Unknown' || (node.spec?.taints as Array<{ key: string }> | undefined)?.some((t) => t.key === 'node.kubernetes.io/unreachable');
    const state = unreachable ? 'unreachable: its kubelet stopped posting status' : 'NotReady';
    const condition = `Ready=${ready?.status ?? 'missing'}${ready?.reason ? ` ${ready.reason}` : ''}`;
    // A workload's pods are named bare (the namespace is the incident's); a node's pods come from every namespace.
    const names = affected.map((p) => (facts.target.kind === 'Node' ? `${p.metadata.namespace}/${p.metadata.name}` : (p.metadata.name ?? '')));
    const terminating = affected.filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name ?? '');
    const whose = facts.target.kind === 'Node' ? '' : ` of ${nameOf(facts)}`;
    const statefulSet = facts.workload?.kind === 'StatefulSet';
    return {
      rootCause: `node ${node.metadata.name} is ${state} (${condition}); ${affected.length} pod(s)${whose} on it are affected: ${listNames(names, 5) || 'none'}`,
      confidence: 0.8,
      evidence: [
        { fact: `node ${node.metadata.name}: ${condition}: ${String(ready?.message ?? '').slice(0, 200)}${ready?.lastHeartbeatTime ? ` (last heartbeat ${ready.lastHeartbeatTime})` : ''}`, source: 'check_node_capacity' },
        { fact: `pods on ${node.metadata.name}: ${listNames(names, 8) || 'none'}`, source: 'list_pods' },
        ...(terminating.length ? [{ fact: `stuck terminating (their node cannot confirm the deletion): ${listNames(terminating, 8)}`, source: 'list_pods' }] : []),
      ],
      // A StatefulSet never runs two pods of one identity: its pod on a lost node is not replaced until the node is
      // back or known gone, and force-deleting it while the machine may still run it risks two writers.
      humanStep: statefulSet
        ? `recover node ${node.metadata.name} (kubelet, network, the machine); only once it is known to be down for good, delete its Node object (or force-delete ${listNames(names, 3)}) so the StatefulSet recreates them elsewhere`
        : `recover or replace node ${node.metadata.name} (kubelet, network, the machine); controllers reschedule its pods after the eviction timeout`,
    };
  },
};
