// kube-scheduler's FailedScheduling texts. Sources (kubernetes/kubernetes, pkg/scheduler):
// - framework/types.go FitError.Error(): "0/%v nodes are available" + " %v." per part, per-node reasons counted and
//   sorted with sort.Strings, a PreFilter message replacing them, then the PostFilter (preemption) message.
// - framework/preemption: "Preemption is not helpful for scheduling" for UnschedulableAndUnresolvable nodes,
//   "No preemption victims found for incoming pod" otherwise.
// - plugins/noderesources/fit.go: "Insufficient %v", "Too many pods"; a request above the node's allocatable is
//   Unresolvable (preemption cannot free what the node never had).
// - plugins/interpodaffinity/filtering.go: ErrReasonAffinityRulesNotMatch "node(s) didn't match pod affinity rules",
//   ErrReasonAntiAffinityRulesNotMatch "node(s) didn't match pod anti-affinity rules",
//   ErrReasonExistingAntiAffinityRulesNotMatch "node(s) didn't satisfy existing pods anti-affinity rules".
// - plugins/volumebinding/volume_binding.go PreFilter: "pod has unbound immediate PersistentVolumeClaims".
import { describe, expect, it } from 'vitest';
import type { SimObject } from '../../../chaos/sim/store/types.js';
import type { NodeInfo } from '../../../chaos/sim/controllers/scheduler-fit.js';
import { addUsage, fitNode, nodeAllocatable, podRequests, unschedulableMessage } from '../../../chaos/sim/controllers/scheduler-fit.js';
import { ERR_UNBOUND_IMMEDIATE } from '../../../chaos/sim/controllers/volume-binding.js';

const obj = (o: Record<string, unknown>) => o as unknown as SimObject;
const node = (name: string, extra: { unschedulable?: boolean; allocatable?: Record<string, string> } = {}) =>
  obj({
    metadata: { name, uid: name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': name === 'n3' ? 'b' : 'a' } },
    spec: { unschedulable: extra.unschedulable },
    status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110', ...(extra.allocatable ?? {}) }, conditions: [{ type: 'Ready', status: 'True' }] },
  });
const info = (n: SimObject): NodeInfo => ({ node: n, allocatable: nodeAllocatable(n), requested: { cpu: 0, memory: 0, pods: 0 }, pods: [] });
let uid = 0;
const pod = (labels: Record<string, string>, spec: Record<string, unknown> = {}) =>
  obj({ metadata: { name: `p${++uid}`, namespace: 'shop', uid: `u${uid}`, labels }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
const gpu = (n: number) => ({ containers: [{ name: 'c', image: 'cuda', resources: { limits: { 'nvidia.com/gpu': String(n) } } }] });
const anti = (key: string) => ({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: key }] } } });

describe('extended resources', () => {
  it('a node has none unless it advertises them; the message matches the issue example', () => {
    const cluster = [info(node('n1', { unschedulable: true })), info(node('n2')), info(node('n3'))];
    const p = pod({}, gpu(5));
    expect(podRequests(p).scalar).toEqual({ 'nvidia.com/gpu': 5 });
    const results = cluster.map((i) => fitNode(p, i, podRequests(p), cluster));
    expect(unschedulableMessage(results)).toBe(
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });
  it('a node that advertises enough fits; one whose GPUs are taken could be helped by preemption', () => {
    const gpuNode = info(node('n1', { allocatable: { 'nvidia.com/gpu': '4' } }));
    expect(fitNode(pod({}, gpu(2)), gpuNode).reasons).toEqual([]);
    addUsage(gpuNode, podRequests(pod({}, gpu(3))));
    expect(fitNode(pod({}, gpu(2)), gpuNode)).toEqual({ reasons: ['Insufficient nvidia.com/gpu'], unresolvable: false });
    expect(unschedulableMessage([fitNode(pod({}, gpu(2)), gpuNode)])).toBe(
      '0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });
  it('a memory request larger than any node is unresolvable', () => {
    const huge = pod({}, { containers: [{ name: 'c', resources: { requests: { memory: '64Gi' } } }] });
    const cluster = [info(node('n1')), info(node('n2')), info(node('n3'))];
    expect(unschedulableMessage(cluster.map((i) => fitNode(huge, i)))).toBe(
      '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });
});

describe('inter-pod affinity', () => {
  it('required anti-affinity by hostname: one replica per node, the rest Pending', () => {
    const cluster = [info(node('n1')), info(node('n2')), info(node('n3'))];
    for (const i of cluster) addUsage(i, podRequests(pod({ app: 'cache' }, anti('kubernetes.io/hostname'))), pod({ app: 'cache' }, anti('kubernetes.io/hostname')));
    const next = pod({ app: 'cache' }, anti('kubernetes.io/hostname'));
    expect(unschedulableMessage(cluster.map((i) => fitNode(next, i, podRequests(next), cluster)))).toBe(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    );
  });
  it('anti-affinity by zone counts the domain, not the node', () => {
    const cluster = [info(node('n1')), info(node('n2')), info(node('n3'))];
    addUsage(cluster[0], podRequests(pod({ app: 'cache' })), pod({ app: 'cache' }, anti('topology.kubernetes.io/zone')));
    const next = pod({ app: 'cache' }, anti('topology.kubernetes.io/zone'));
    expect(cluster.map((i) => fitNode(next, i, podRequests(next), cluster).reasons.length)).toEqual([1, 1, 0]);
  });
  it("an existing pod's anti-affinity keeps matching pods away", () => {
    const cluster = [info(node('n1'))];
    addUsage(cluster[0], podRequests(pod({ app: 'db' })), pod({ app: 'db' }, anti('kubernetes.io/hostname')));
    expect(fitNode(pod({ app: 'cache' }), cluster[0], undefined, cluster).reasons).toEqual(["node(s) didn't satisfy existing pods anti-affinity rules"]);
  });
  it('required affinity: the first pod of a self-selecting group may go anywhere; others follow it; no match is unresolvable', () => {
    const term = { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } } };
    const cluster = [info(node('n1')), info(node('n2'))];
    expect(fitNode(pod({ app: 'web' }, term), cluster[0], undefined, cluster).reasons).toEqual([]);
    addUsage(cluster[1], podRequests(pod({ app: 'web' })), pod({ app: 'web' }));
    expect(fitNode(pod({ app: 'web' }, term), cluster[0], undefined, cluster)).toEqual({ reasons: ["node(s) didn't match pod affinity rules"], unresolvable: true });
    expect(fitNode(pod({ app: 'web' }, term), cluster[1], undefined, cluster).reasons).toEqual([]);
  });
});

describe('PreFilter', () => {
  it('unbound immediate claims reject the pod on every node', () => {
    expect(unschedulableMessage([[ERR_UNBOUND_IMMEDIATE], [ERR_UNBOUND_IMMEDIATE], [ERR_UNBOUND_IMMEDIATE]], ERR_UNBOUND_IMMEDIATE)).toBe(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });
});
