// Fixture cluster state for the runbook rule tests, shaped as the API server returns it (messages as kube-scheduler,
// the kubelet and the controllers write them).
import type { RunbookFacts } from '../../../backend/src/diagnose/runbook/gather-runbook-facts.js';
import { workloadFromObject, type WorkloadKind } from '../../../backend/src/diagnose/runbook/read-workload.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';
import type { NodeCapacity } from '../../../backend/src/tools/check-node-capacity.js';

const ns = 'shop';
const now = () => new Date().toISOString();
const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
const owner = (kind: string, name: string) => [{ apiVersion: 'apps/v1', kind, name, uid: `${kind}-${name}`, controller: true }];

interface DeploymentOptions {
  replicas?: number;
  labels?: Record<string, string>;
  ports?: number[];
  liveness?: number;
  configVolume?: { name: string; items: string[] };
  memoryLimit?: string;
}

function container(o: DeploymentOptions) {
  return {
    name: 'app',
    image: 'nginx:1.27',
    ...(o.ports ? { ports: o.ports.map((p) => ({ containerPort: p, protocol: 'TCP' })) } : {}),
    ...(o.liveness ? { livenessProbe: { httpGet: { path: '/healthz', port: o.liveness } } } : {}),
    resources: { limits: { memory: o.memoryLimit ?? '256Mi' } },
  };
}

export const F = {
  obj: (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({ metadata: { name, namespace: ns }, ...extra }),

  deployment(name: string, o: DeploymentOptions = {}): KubeObject {
    return F.workload('Deployment', name, o);
  },

  workload(kind: 'Deployment' | 'StatefulSet' | 'DaemonSet', name: string, o: DeploymentOptions = {}): KubeObject {
    const labels = o.labels ?? { app: name };
    const volumes = o.configVolume ? [{ name: 'config', configMap: { name: o.configVolume.name, items: o.configVolume.items.map((k) => ({ key: k, path: k })) } }] : undefined;
    return {
      kind,
      metadata: { name, namespace: ns },
      spec: { replicas: o.replicas ?? 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container(o)], ...(volumes ? { volumes } : {}) } } },
      status: { desiredNumberScheduled: 2 },
    };
  },

  facts(d: KubeObject, over: Partial<RunbookFacts> = {}): RunbookFacts {
    const pods = over.pods ?? [];
    return {
      target: { namespace: ns, kind: 'Deployment', name: d.metadata.name },
      workload: workloadFromObject('Deployment', d),
      deployment: d,
      history: [],
      unhealthyEvents: [],
      events: [],
      namespacePods: pods,
      ...over,
      pods,
    };
  },

  pod(name: string, app: string, spec: Record<string, unknown>, status: Record<string, unknown>, ownerKind = 'ReplicaSet', ownerName = `${app}-abc`): KubeObject {
    return { metadata: { name, namespace: ns, labels: { app }, ownerReferences: owner(ownerKind, ownerName) }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec }, status };
  },

  pendingPod(name: string, app: string, message: string, o: { nodeSelector?: Record<string, string>; requests?: Record<string, string>; antiAffinity?: string; claim?: string } = {}): KubeObject {
    const spec: Record<string, unknown> = { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: o.requests ?? { cpu: '100m' } } }] };
    if (o.nodeSelector) spec.nodeSelector = o.nodeSelector;
    if (o.antiAffinity) spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: o.antiAffinity, labelSelector: { matchLabels: { app } } }] } };
    if (o.claim) spec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: o.claim } }];
    return F.pod(name, app, spec, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }] });
  },

  waitingPod(name: string, app: string, reason: string, message?: string): KubeObject {
    return F.pod(name, app, {}, { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason, ...(message ? { message } : {}) } } }] });
  },

  runningPod(name: string, app: string, node: string): KubeObject {
    return { ...F.pod(name, app, { nodeName: node }, { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: ago(600) } } }] }) };
  },

  crashPod(name: string, app: string, c: string, exitCode: number, restarts: number, ownerKind = 'ReplicaSet'): KubeObject {
    return F.pod(name, app, { containers: [{ name: c, image: 'nginx:1.27' }] }, {
      phase: 'Running',
      startTime: ago(900),
      containerStatuses: [{ name: c, ready: false, restartCount: restarts, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode, reason: 'Error', finishedAt: now() } } }],
    }, ownerKind, ownerKind === 'ReplicaSet' ? `${app}-abc` : app);
  },

  initFailPod(name: string, app: string, init: string, exitCode: number, restarts: number): KubeObject {
    return F.pod(name, app, { initContainers: [{ name: init, image: 'busybox:1.36' }] }, {
      phase: 'Pending',
      initContainerStatuses: [{ name: init, ready: false, restartCount: restarts, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode, reason: 'Error', finishedAt: now() } } }],
      containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
    });
  },

  oomPod(name: string, c: string, limit: string, ownerKind?: string, ownerName?: string): KubeObject {
    const pod = F.pod(name, ownerName ?? name, { containers: [{ name: c, image: 'app:1', resources: { limits: { memory: limit } } }] }, {
      phase: 'Running',
      containerStatuses: [{ name: c, ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: now() } } }],
    });
    if (!ownerKind) delete pod.metadata.ownerReferences;
    else pod.metadata.ownerReferences = owner(ownerKind, ownerName!);
    return pod;
  },

  podFacts(pod: KubeObject): RunbookFacts {
    return { target: { namespace: ns, kind: 'Pod', name: pod.metadata.name }, workload: workloadFromObject('Pod', pod), history: [], pods: [pod], unhealthyEvents: [], events: [] };
  },

  stsFacts(pod: KubeObject): RunbookFacts {
    const sts = F.workload('StatefulSet', 'db');
    return { target: { namespace: ns, kind: 'StatefulSet', name: 'db' }, workload: workloadFromObject('StatefulSet', sts), history: [], pods: [pod], unhealthyEvents: [], events: [] };
  },

  stsRollbackFacts(): RunbookFacts {
    const sts = F.workload('StatefulSet', 'db');
    const rev = (n: number, hash: string, image: string): KubeObject => ({
      metadata: { name: `db-${hash}`, namespace: ns, ownerReferences: owner('StatefulSet', 'db') },
      revision: n,
      data: { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } },
    });
    const bad = F.crashPod('db-1', 'db', 'app', 1, 6, 'StatefulSet');
    bad.metadata.labels = { app: 'db', 'controller-revision-hash': 'db-bbb' };
    const good: KubeObject = { ...F.runningPod('db-0', 'db', 'node-1'), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] } };
    good.metadata = { ...good.metadata, labels: { app: 'db', 'controller-revision-hash': 'db-aaa' }, ownerReferences: owner('StatefulSet', 'db') };
    return { target: { namespace: ns, kind: 'StatefulSet', name: 'db' }, workload: workloadFromObject('StatefulSet', sts), history: [], pods: [bad, good], unhealthyEvents: [], events: [], controllerRevisions: [rev(1, 'aaa', 'db:1'), rev(2, 'bbb', 'db:2')] };
  },

  /** A DaemonSet whose newest revision crashes on one node while a pod of revision 1 is healthy (bare-hash labels). */
  dsRollbackFacts(): RunbookFacts {
    const ds = F.workload('DaemonSet', 'agent');
    const rev = (n: number, hash: string): KubeObject => ({ metadata: { name: `agent-${hash}`, namespace: ns, labels: { 'controller-revision-hash': hash }, ownerReferences: owner('DaemonSet', 'agent') }, revision: n });
    const bad = F.crashPod('agent-x', 'agent', 'app', 143, 2, 'DaemonSet');
    bad.metadata.labels = { app: 'agent', 'controller-revision-hash': 'bbb222' };
    const good: KubeObject = { metadata: { name: 'agent-y', namespace: ns, labels: { app: 'agent', 'controller-revision-hash': 'aaa111' }, ownerReferences: owner('DaemonSet', 'agent') }, spec: {}, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] } };
    return { target: { namespace: ns, kind: 'DaemonSet', name: 'agent' }, workload: workloadFromObject('DaemonSet', ds), history: [], pods: [bad, good], unhealthyEvents: [], events: [], controllerRevisions: [rev(1, 'aaa111'), rev(2, 'bbb222')] };
  },

  jobFacts(name: string, backoffLimit: number, codes: number[]): RunbookFacts {
    const job: KubeObject = {
      kind: 'Job',
      metadata: { name, namespace: ns },
      spec: { backoffLimit, template: { metadata: { labels: { job: name } }, spec: { containers: [{ name: 'task', image: 'busybox' }], restartPolicy: 'Never' } } },
      status: { failed: codes.length, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] },
    };
    const pods = codes.map((code, i) => ({
      metadata: { name: `${name}-${i}`, namespace: ns, labels: { job: name }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: 'j', controller: true }] },
      spec: { containers: [{ name: 'task' }] },
      status: { phase: 'Failed', containerStatuses: [{ name: 'task', ready: false, restartCount: 0, state: { terminated: { exitCode: code, reason: 'Error' } } }] },
    }));
    return { target: { namespace: ns, kind: 'Pod', name: pods[0].metadata.name }, workload: workloadFromObject('Job' as WorkloadKind, job), history: [], pods, namespacePods: pods, jobs: [job], unhealthyEvents: [], events: [] };
  },

  service(name: string, selector: Record<string, string>, targetPort?: number): KubeObject {
    return { metadata: { name, namespace: ns }, spec: { selector, ports: [{ port: 80, protocol: 'TCP', ...(targetPort ? { targetPort } : {}) }] } };
  },

  serviceFacts(name: string, selector: Record<string, string>, deployments: KubeObject[], o: { targetPort?: number; runningPods?: boolean } = {}): RunbookFacts {
    const pods = deployments.map((d, i) => {
      const c = d.spec.template.spec.containers;
      return { metadata: { name: `${d.metadata.name}-${i}`, namespace: ns, labels: d.spec.template.metadata.labels }, spec: { containers: c }, status: { phase: 'Running' } } as KubeObject;
    });
    return {
      target: { namespace: ns, kind: 'Service', name },
      history: [],
      pods: [],
      unhealthyEvents: [],
      events: [],
      service: F.service(name, selector, o.targetPort),
      deployments,
      namespacePods: pods,
    };
  },

  event(kind: string, name: string, reason: string, message: string): KubeObject {
    return { metadata: { name: `${name}.1`, namespace: ns }, involvedObject: { kind, name, namespace: ns }, reason, message, type: 'Warning', count: 3, lastTimestamp: now() };
  },

  node(name: string, labels: Record<string, string> = {}, o: { unschedulable?: boolean; ready?: 'True' | 'False' | 'Unknown' } = {}): KubeObject {
    return {
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
      spec: o.unschedulable ? { unschedulable: true } : {},
      status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: o.ready ?? 'True', reason: o.ready === 'Unknown' ? 'NodeStatusUnknown' : 'KubeletReady', message: o.ready === 'Unknown' ? 'Kubelet stopped posting node status.' : 'kubelet is posting ready status' }] },
    };
  },

  nodes(n: number, labels: Record<string, string> = {}): KubeObject[] {
    return Array.from({ length: n }, (_, i) => F.node(`node-${i + 1}`, labels));
  },

  capacity(n: number, cpuMillis: number, memoryMi: number, requestedMi: number): NodeCapacity[] {
    return Array.from({ length: n }, (_, i) => ({
      name: `node-${i + 1}`,
      ready: true,
      cordoned: false,
      pressure: [],
      taints: [],
      allocatable: { cpuMillis, memoryMi, pods: 110 },
      requested: { cpuMillis: 500, memoryMi: requestedMi, pods: 5 },
    }));
  },

  pvc(name: string, storageClassName: string): KubeObject {
    return { metadata: { name, namespace: ns }, spec: { storageClassName, resources: { requests: { storage: '10Gi' } } }, status: { phase: 'Pending' } };
  },

  hpa(target: string, o: { max: number; current: number; desired: number; limited?: boolean; metricsFail?: boolean; cpu?: { current: number; target: number } }): KubeObject {
    const conditions = [
      o.metricsFail
        ? { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API' }
        : { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' },
      { type: 'ScalingLimited', status: o.limited ? 'True' : 'False', reason: o.limited ? 'TooManyReplicas' : 'DesiredWithinRange', message: o.limited ? 'the desired replica count is more than the maximum replica count' : '' },
    ];
    const metrics = o.cpu ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: o.cpu.target } } }] : undefined;
    const currentMetrics = o.cpu ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: o.cpu.current, averageValue: `${o.cpu.current}m` } } }] : undefined;
    return { metadata: { name: target, namespace: ns }, spec: { scaleTargetRef: { kind: 'Deployment', name: target }, maxReplicas: o.max, minReplicas: 1, metrics }, status: { currentReplicas: o.current, desiredReplicas: o.desired, currentMetrics, conditions } };
  },

  pdb(name: string, app: string): KubeObject {
    return { metadata: { name, namespace: ns }, spec: { minAvailable: 1, selector: { matchLabels: { app } } }, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } };
  },
};
