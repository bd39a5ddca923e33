// One row per failure class: a fixture cluster state as the real API server and kubelet report it, the rule that must
// explain it, the key facts its root cause must name, and what must (or must not) be proposed. Every proposed command
// is scored by the real risk scorer and decided by the real mode policy: YOLO runs only the rows with no guess.
import { describe, expect, it } from 'vitest';
import { analyzeRunbook } from '../../../backend/src/diagnose/runbook/analyze-runbook.js';
import type { RunbookFacts } from '../../../backend/src/diagnose/runbook/gather-runbook-facts.js';
import { workloadFromObject } from '../../../backend/src/diagnose/runbook/read-workload.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';
import { assessCommand, DEFAULT_PROTECTED_NAMESPACES } from '../../../backend/src/risk/index.js';
import { decideMode } from '../../../backend/src/execute/decide-mode.js';
import { F } from './runbook-fixtures.js';
import { redactText } from '../../../backend/src/redaction/redact.js';
import type { RevisionSummary } from '../../../backend/src/tools/get-deployment-history.js';

const settings = { memoryLimitCapMi: 1024, noCrashLoopWindowSeconds: 30 };
const POLICY = { protectedNamespaces: [...DEFAULT_PROTECTED_NAMESPACES], denyList: [] };

type Expect = 'yolo' | 'approval' | 'escalate';
interface Row {
  name: string;
  facts: RunbookFacts;
  rule: string;
  mentions: RegExp[];
  expect: Expect;
  command?: RegExp;
  /** Later actions of a sequence, in order (a forced StatefulSet rollback). */
  then?: RegExp[];
}

/** One revision of a Deployment's history, as summariseHistory reports it. */
function revision(n: number, replicaSet: string, health: RevisionSummary['health'], podReasons: string[]): RevisionSummary {
  const replicas = health === 'scaled-down' ? 0 : 2;
  return { revision: n, replicaSet, images: ['app=nginx:1.27'], resources: {}, replicas, readyReplicas: 0, pods: replicas, unhealthyPods: replicas, podReasons, health };
}

/** The ReplicaSet of revision n, carrying the pod template of the Deployment as it was then. */
function revisionSet(n: number, name: string, d: KubeObject): KubeObject {
  return { metadata: { name, namespace: 'shop', annotations: { 'deployment.kubernetes.io/revision': String(n) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'Deployment-web', controller: true }] }, spec: { replicas: 0, template: d.spec.template } };
}

const ns = 'shop';
const web = F.deployment('web');
const rows: Row[] = [
  {
    name: 'nodeSelector matching no node → remove it (approval)',
    facts: F.facts(web, { pods: [F.pendingPod('web-1', 'web', '0/3 nodes are available: 3 node(s) didn\'t match Pod\'s node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.', { nodeSelector: { disktype: 'nvme' } })], nodeObjects: F.nodes(3, { disktype: 'ssd' }) }),
    rule: 'scheduling-node-selector',
    mentions: [/nodeSelector disktype=nvme matches no node/],
    expect: 'approval',
    command: /^kubectl patch deployment\/web -n shop --type=json -p '\[\{"op":"remove","path":"\/spec\/template\/spec\/nodeSelector"\}\]'$/,
  },
  {
    name: 'untolerated taint',
    facts: F.facts(web, { pods: [F.pendingPod('web-1', 'web', '0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.')], nodeObjects: F.nodes(3) }),
    rule: 'scheduling-taints',
    mentions: [/taint dedicated: gpu/, /3 node\(s\)/],
    expect: 'escalate',
  },
  {
    name: 'insufficient memory: requested vs free',
    facts: F.facts(web, { pods: [F.pendingPod('web-1', 'web', '0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.', { requests: { memory: '8Gi' } })], nodes: F.capacity(2, 4000, 4096, 3000) }),
    rule: 'scheduling-resources',
    mentions: [/insufficient memory/, /requests 8192Mi/, /most free on any node is 1096Mi/],
    expect: 'escalate',
  },
  {
    name: 'insufficient extended resource',
    facts: F.facts(web, { pods: [F.pendingPod('web-1', 'web', '0/2 nodes are available: 2 Insufficient nvidia.com/gpu.', { requests: { 'nvidia.com/gpu': '1' } })], nodes: F.capacity(2, 4000, 4096, 0), nodeObjects: F.nodes(2) }),
    rule: 'scheduling-resources',
    mentions: [/insufficient nvidia\.com\/gpu/, /no node advertises nvidia\.com\/gpu/],
    expect: 'escalate',
  },
  {
    name: 'insufficient extended resource on nodes that advertise it: free is allocatable less the pods\' requests',
    facts: (() => {
      const nodes = F.nodes(2).map((n) => ({ ...n, status: { ...n.status, allocatable: { ...n.status.allocatable, 'nvidia.com/gpu': '2' } } }));
      const capacity = F.capacity(2, 4000, 4096, 0).map((c, i) => ({ ...c, requestedOther: { 'nvidia.com/gpu': i === 0 ? 2 : 1 } }));
      return F.facts(web, { pods: [F.pendingPod('web-1', 'web', '0/2 nodes are available: 2 Insufficient nvidia.com/gpu.', { requests: { 'nvidia.com/gpu': '2' } })], nodes: capacity, nodeObjects: nodes });
    })(),
    rule: 'scheduling-resources',
    mentions: [/the pod requests 2, the most free on any node is 1 \(of at most 2 allocatable, less what the pods on the node request\)/],
    expect: 'escalate',
  },
  {
    name: 'insufficient cpu counts a large init container (effective request = max(largest init, sum of main))',
    facts: (() => {
      const pod = F.pendingPod('web-1', 'web', '0/2 nodes are available: 2 Insufficient cpu.', { requests: { cpu: '500m' } });
      pod.spec.initContainers = [{ name: 'warm-cache', image: 'busybox', resources: { requests: { cpu: '3' } } }];
      return F.facts(web, { pods: [pod], nodes: F.capacity(2, 4000, 4096, 0) });
    })(),
    rule: 'scheduling-resources',
    mentions: [/the pod requests 3000m, the most free on any node is 3500m/],
    expect: 'escalate',
  },
  {
    name: 'a native sidecar crash-looping is the failing sidecar, named, not "main containers never start"',
    facts: (() => {
      const d = F.deployment('web');
      d.spec.template.spec.initContainers = [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always' }];
      const pod = F.pod('web-1', 'web', { initContainers: [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always' }] }, {
        phase: 'Running',
        initContainerStatuses: [{ name: 'proxy', ready: false, started: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
      });
      return F.facts(d, { pods: [pod] });
    })(),
    rule: 'crash-loop',
    mentions: [/^sidecar container proxy of deployment web crash-loops with exit code 1/],
    expect: 'escalate',
  },
  {
    name: 'required anti-affinity over too few domains',
    facts: F.facts(F.deployment('web', { replicas: 4 }), { pods: [F.pendingPod('web-4', 'web', '0/3 nodes are available: 3 node(s) didn\'t match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.', { antiAffinity: 'kubernetes.io/hostname' })], nodeObjects: F.nodes(3) }),
    rule: 'scheduling-anti-affinity',
    mentions: [/anti-affinity on kubernetes\.io\/hostname needs 4 distinct domains/, /offer 3/],
    expect: 'escalate',
  },
  {
    name: 'unbound PVC: missing StorageClass',
    facts: F.facts(F.deployment('web'), { pods: [F.pendingPod('web-1', 'web', '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.', { claim: 'data' })], pvcs: [F.pvc('data', 'fast-ssd')], storageClasses: [F.obj('standard')] }),
    rule: 'scheduling-pvc',
    mentions: [/PersistentVolumeClaim data is unbound/, /StorageClass "fast-ssd" does not exist/],
    expect: 'escalate',
  },
  {
    name: 'ResourceQuota refusing the third pod',
    facts: F.facts(F.deployment('web', { replicas: 3 }), { events: [F.event('ReplicaSet', 'web-abc', 'FailedCreate', 'Error creating: pods "web-abc-x7k2p" is forbidden: exceeded quota: pod-quota, requested: pods=1, used: pods=2, limited: pods=2')], replicaSets: [], quotas: [F.obj('pod-quota')] }),
    rule: 'admission-quota',
    mentions: [/ResourceQuota pod-quota/, /used pods=2/, /hard limit pods=2/],
    expect: 'escalate',
  },
  {
    name: 'LimitRange maximum',
    facts: F.facts(web, { events: [F.event('ReplicaSet', 'web-abc', 'FailedCreate', 'Error creating: pods "web-abc-1" is forbidden: maximum memory usage per Container is 512Mi, but limit is 1Gi')], limitRanges: [F.obj('mem-limits')] }),
    rule: 'admission-limit-range',
    mentions: [/LimitRange mem-limits/, /maximum memory per Container is 512Mi but the limit is 1Gi/],
    expect: 'escalate',
  },
  {
    name: 'Service selector matching no pod beside a same-named Deployment → re-point (approval)',
    facts: F.serviceFacts('web', { app: 'web-frontend' }, [F.deployment('web', { labels: { app: 'web' } })]),
    rule: 'service-selector',
    mentions: [/Service web selects app=web-frontend/, /matches no pod/, /app=web/],
    expect: 'approval',
    command: /^kubectl patch service web -n shop --type=merge -p '\{"spec":\{"selector":\{"app":"web"\}\}\}'$/,
  },
  {
    name: 'Service selector off by one key, no same-named Deployment → escalate naming the candidate',
    facts: F.serviceFacts('frontend', { app: 'shop', tier: 'front' }, [F.deployment('storefront', { labels: { app: 'shop', tier: 'web' } })]),
    rule: 'service-selector',
    mentions: [/deployment storefront/, /app=shop,tier=web/],
    expect: 'escalate',
  },
  {
    name: 'Service selector off by one value from a StatefulSet\'s pods → escalate naming the StatefulSet',
    facts: {
      ...F.serviceFacts('db', { app: 'postgres' }, []),
      namespacePods: [{ metadata: { name: 'pg-0', namespace: 'shop', labels: { app: 'postgresql' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'pg', uid: 'x', controller: true }] }, status: { phase: 'Running' } }],
    },
    rule: 'service-selector',
    mentions: [/closest: statefulset pg with app=postgresql/],
    expect: 'escalate',
  },
  {
    name: 'Service targetPort matching no container port → the only declared port (approval)',
    facts: F.serviceFacts('web', { app: 'web' }, [F.deployment('web', { labels: { app: 'web' }, ports: [8080] })], { targetPort: 80, runningPods: true }),
    rule: 'service-target-port',
    mentions: [/targetPort 80/, /8080/],
    expect: 'approval',
    command: /^kubectl patch service web -n shop --type=json -p '\[\{"op":"replace","path":"\/spec\/ports\/0\/targetPort","value":8080\}\]'$/,
  },
  {
    name: 'missing ConfigMap in a volume, one ConfigMap with the same keys → re-point (approval)',
    facts: F.facts(F.deployment('web', { configVolume: { name: 'app-confg', items: ['app.yaml'] } }), {
      pods: [F.waitingPod('web-1', 'web', 'ContainerCreating')],
      events: [F.event('Pod', 'web-1', 'FailedMount', 'MountVolume.SetUp failed for volume "config" : configmap "app-confg" not found')],
      configMaps: [{ name: 'app-config', keys: ['app.yaml'] }, { name: 'other', keys: ['x'] }],
    }),
    rule: 'config-missing',
    mentions: [/ConfigMap app-confg does not exist/],
    expect: 'approval',
    command: /"path":"\/spec\/template\/spec\/volumes\/0\/configMap\/name","value":"app-config"/,
  },
  {
    name: 'missing Secret key → escalate, never create it, never print data',
    facts: F.facts(web, { pods: [F.waitingPod('web-1', 'web', 'CreateContainerConfigError', "couldn't find key password in Secret shop/db-creds")] }),
    rule: 'config-missing',
    mentions: [/key password of Secret db-creds does not exist/],
    expect: 'escalate',
  },
  {
    name: 'image tag missing with no earlier image → escalate, never pick a tag',
    facts: F.facts(web, { pods: [F.waitingPod('web-1', 'web', 'ImagePullBackOff', 'Back-off pulling image "nginx:1.99"')], events: [F.event('Pod', 'web-1', 'Failed', 'Failed to pull image "nginx:1.99": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found')] }),
    rule: 'image-pull',
    mentions: [/cannot pull image nginx:1\.99/, /the tag does not exist/],
    expect: 'escalate',
  },
  {
    name: 'image repository needs credentials',
    facts: F.facts(web, { pods: [F.waitingPod('web-1', 'web', 'ErrImagePull')], events: [F.event('Pod', 'web-1', 'Failed', 'Failed to pull image "corp/private:1": failed to resolve reference "docker.io/corp/private:1": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed')] }),
    rule: 'image-pull',
    mentions: [/repository does not exist or needs credentials/],
    expect: 'escalate',
  },
  {
    name: 'registry rate limit',
    facts: F.facts(web, { pods: [F.waitingPod('web-1', 'web', 'ErrImagePull')], events: [F.event('Pod', 'web-1', 'Failed', 'Failed to pull image "nginx:1.27": 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.')] }),
    rule: 'image-pull',
    mentions: [/rate limiting/],
    expect: 'escalate',
  },
  {
    name: 'init container exit 127',
    facts: F.facts(web, { pods: [F.initFailPod('web-1', 'web', 'migrate', 127, 8)], logs: { 'web-1/migrate': 'sh: migrate-db: not found' } }),
    rule: 'init-container',
    mentions: [/init container migrate/, /exit code 127 \(command not found/, /8 restart/],
    expect: 'escalate',
  },
  {
    name: 'crash exit 127 with the log tail fenced and redacted',
    facts: F.facts(web, { pods: [F.crashPod('web-1', 'web', 'app', 127, 5)], logs: { 'web-1/app': 'starting\npassword=hunter2\n/bin/sh: serve: not found' } }),
    rule: 'crash-loop',
    mentions: [/exit code 127 \(command not found/, /started with neither/],
    expect: 'escalate',
  },
  {
    name: 'OOMKilled bare Pod → recreate with a higher limit (no action: its spec cannot change)',
    facts: F.podFacts(F.oomPod('worker', 'app', '256Mi')),
    rule: 'oom-killed',
    mentions: [/container app of pod worker is OOMKilled/],
    expect: 'escalate',
  },
  {
    name: 'OOMKilled with no memory limit → the node ran out of memory, not "limit too low"; no size is guessed',
    facts: F.podFacts(
      (() => {
        const pod = F.oomPod('worker', 'app', '256Mi');
        delete (pod.spec!.containers as Array<{ resources?: unknown }>)[0].resources;
        return pod;
      })(),
    ),
    rule: 'oom-killed',
    mentions: [/container app of pod worker is OOMKilled \(exit code 137\) with no memory limit/],
    expect: 'escalate',
  },
  {
    name: 'OOMKilled StatefulSet → raise the template limit (YOLO)',
    facts: F.stsFacts(F.oomPod('db-0', 'app', '256Mi', 'StatefulSet', 'db')),
    rule: 'oom-killed',
    mentions: [/statefulset db is OOMKilled/],
    expect: 'yolo',
    command: /^kubectl set resources statefulset\/db -n shop -c app --limits=memory=512Mi$/,
  },
  {
    name: 'liveness probe on an undeclared port → the only declared port (approval)',
    facts: F.facts(F.deployment('web', { ports: [8080], liveness: 8081 }), { pods: [F.crashPod('web-1', 'web', 'app', 137, 4)], events: [F.event('Pod', 'web-1', 'Unhealthy', 'Liveness probe failed: Get "http://10.0.0.7:8081/healthz": dial tcp 10.0.0.7:8081: connect: connection refused')] }),
    rule: 'liveness-probe',
    mentions: [/liveness probe of container app/, /:8081\/healthz/, /declares port 8080/],
    expect: 'approval',
    command: /"livenessProbe":\{"httpGet":\{"port":8080\}\}/,
  },
  {
    // Revision 1 is scaled down: that it ran without the probe is known, that it was ready is not (approval).
    name: 'liveness probe added by the newest rollout and nothing else changed, previous revision scaled down → roll back (yolo): the rollback removes exactly the failing probe',
    facts: F.facts(F.deployment('web', { ports: [80], liveness: 8080 }), {
      pods: [F.crashPod('web-1', 'web', 'app', 137, 4)],
      events: [F.event('Pod', 'web-1', 'Unhealthy', 'Liveness probe failed: Get "http://10.0.0.7:8080/healthz": dial tcp 10.0.0.7:8080: connect: connection refused')],
      history: [revision(2, 'web-bbb', 'unhealthy', ['CrashLoopBackOff']), revision(1, 'web-aaa', 'scaled-down', [])],
      replicaSets: [revisionSet(1, 'web-aaa', F.deployment('web', { ports: [80] })), revisionSet(2, 'web-bbb', F.deployment('web', { ports: [80], liveness: 8080 }))],
    }),
    rule: 'liveness-probe',
    mentions: [/liveness probe of container app/, /began with revision 2, revision 1 ran before it/],
    expect: 'yolo',
    command: /^kubectl rollout undo deployment\/web -n shop$/,
  },
  {
    name: 'liveness probe added by the newest rollout and nothing else changed, previous revision healthy now → roll back (yolo)',
    facts: F.facts(F.deployment('web', { ports: [80], liveness: 8080 }), {
      pods: [F.crashPod('web-1', 'web', 'app', 137, 4)],
      events: [F.event('Pod', 'web-1', 'Unhealthy', 'Liveness probe failed: Get "http://10.0.0.7:8080/healthz": dial tcp 10.0.0.7:8080: connect: connection refused')],
      history: [revision(2, 'web-bbb', 'unhealthy', ['CrashLoopBackOff']), revision(1, 'web-aaa', 'healthy', [])],
      replicaSets: [revisionSet(1, 'web-aaa', F.deployment('web', { ports: [80] })), revisionSet(2, 'web-bbb', F.deployment('web', { ports: [80], liveness: 8080 }))],
    }),
    rule: 'liveness-probe',
    mentions: [/liveness probe of container app/, /began with revision 2, revision 1 was healthy/],
    expect: 'yolo',
    command: /^kubectl rollout undo deployment\/web -n shop$/,
  },
  {
    name: 'liveness probe added by a rollout that also changed the image, previous revision scaled down → roll back only with approval',
    facts: (() => {
      const d = F.deployment('web', { ports: [80], liveness: 8080 });
      d.spec.template.spec.containers[0].image = 'nginx:1.28';
      return F.facts(d, {
        pods: [F.crashPod('web-1', 'web', 'app', 137, 4)],
        events: [F.event('Pod', 'web-1', 'Unhealthy', 'Liveness probe failed: Get "http://10.0.0.7:8080/healthz": dial tcp 10.0.0.7:8080: connect: connection refused')],
        history: [revision(2, 'web-bbb', 'unhealthy', ['CrashLoopBackOff']), revision(1, 'web-aaa', 'scaled-down', [])],
        replicaSets: [revisionSet(1, 'web-aaa', F.deployment('web', { ports: [80] })), revisionSet(2, 'web-bbb', d)],
      });
    })(),
    rule: 'liveness-probe',
    mentions: [/liveness probe of container app/],
    expect: 'approval',
    command: /^kubectl rollout undo deployment\/web -n shop$/,
  },
  {
    name: 'liveness probe added by a rollout that also changed the image, previous revision healthy → roll back only with approval',
    facts: (() => {
      const d = F.deployment('web', { ports: [80], liveness: 8080 });
      d.spec.template.spec.containers[0].image = 'nginx:1.28';
      return F.facts(d, {
        pods: [F.crashPod('web-1', 'web', 'app', 137, 4)],
        events: [F.event('Pod', 'web-1', 'Unhealthy', 'Liveness probe failed: Get "http://10.0.0.7:8080/healthz": dial tcp 10.0.0.7:8080: connect: connection refused')],
        history: [revision(2, 'web-bbb', 'unhealthy', ['CrashLoopBackOff']), revision(1, 'web-aaa', 'healthy', [])],
        replicaSets: [revisionSet(1, 'web-aaa', F.deployment('web', { ports: [80] })), revisionSet(2, 'web-bbb', d)],
      });
    })(),
    rule: 'liveness-probe',
    mentions: [/began with revision 2, revision 1 was healthy/],
    expect: 'approval',
    command: /^kubectl rollout undo deployment\/web -n shop$/,
  },
  {
    name: 'liveness probe unchanged by the newest rollout, previous revision scaled down → roll back only with approval',
    facts: F.facts(F.deployment('web', { ports: [80], liveness: 8080 }), {
      pods: [F.crashPod('web-1', 'web', 'app', 137, 4)],
      events: [F.event('Pod', 'web-1', 'Unhealthy', 'Liveness probe failed: Get "http://10.0.0.7:8080/healthz": dial tcp 10.0.0.7:8080: connect: connection refused')],
      history: [revision(2, 'web-bbb', 'unhealthy', ['CrashLoopBackOff']), revision(1, 'web-aaa', 'scaled-down', [])],
      replicaSets: [revisionSet(1, 'web-aaa', F.deployment('web', { ports: [80], liveness: 8080 })), revisionSet(2, 'web-bbb', F.deployment('web', { ports: [80], liveness: 8080 }))],
    }),
    rule: 'liveness-probe',
    mentions: [/began with revision 2, revision 1 ran before it/],
    expect: 'approval',
    command: /^kubectl rollout undo deployment\/web -n shop$/,
  },
  {
    name: 'Job hit its backoffLimit',
    facts: F.jobFacts('nightly', 2, [1, 1, 1]),
    rule: 'job-backoff',
    mentions: [/job nightly failed: BackoffLimitExceeded/, /backoffLimit 2/, /exit with code 1/],
    expect: 'escalate',
  },
  {
    name: 'CronJob whose newest Job hit its backoffLimit',
    facts: (() => {
      const f = F.jobFacts('backup-29123', 3, [137, 137]);
      f.jobs![0].metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: 'c', controller: true }];
      const cron = { kind: 'CronJob', metadata: { name: 'backup', namespace: 'shop' }, spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'task' }] } } } } } };
      return { ...f, target: { namespace: 'shop', kind: 'Pod' as const, name: 'backup-29123-0' }, workload: workloadFromObject('CronJob', cron) };
    })(),
    rule: 'job-backoff',
    mentions: [/job backup-29123 \(a run of cronjob backup\) failed: BackoffLimitExceeded/, /exit with code 137 \(killed by SIGKILL/],
    expect: 'escalate',
  },
  {
    name: 'HPA pinned at maxReplicas',
    facts: F.facts(web, { hpas: [F.hpa('web', { max: 5, current: 5, desired: 5, limited: true, cpu: { current: 180, target: 60 } })] }),
    rule: 'hpa-max',
    mentions: [/HorizontalPodAutoscaler web is pinned at maxReplicas 5 \(current 5, desired 5\)/, /cpu at 180% of request against a 60% target/],
    expect: 'escalate',
  },
  {
    name: 'HPA cannot read metrics',
    facts: F.facts(web, { hpas: [F.hpa('web', { max: 5, current: 2, desired: 2, metricsFail: true })] }),
    rule: 'hpa-metrics',
    mentions: [/cannot read its metrics \(FailedGetResourceMetric\)/],
    expect: 'escalate',
  },
  {
    name: 'PDB blocking the drain of a cordoned node',
    facts: F.facts(web, { pods: [F.runningPod('web-1', 'web', 'node-1')], pdbs: [F.pdb('web-pdb', 'web')], nodeObjects: [F.node('node-1', {}, { unschedulable: true })] }),
    rule: 'pdb-blocking',
    mentions: [/PodDisruptionBudget web-pdb/, /allows 0 disruptions/],
    expect: 'escalate',
  },
  {
    name: 'node NotReady with its pods',
    facts: F.facts(web, { pods: [F.runningPod('web-1', 'web', 'node-2')], nodeObjects: [F.node('node-2', {}, { ready: 'Unknown' })] }),
    rule: 'node-not-ready',
    mentions: [/node node-2/, /unreachable/, /1 pod\(s\) of deployment web on it are affected: web-1/],
    expect: 'escalate',
  },
  {
    name: 'scaled to zero: the scale-down event records 2 → restore 2 (YOLO)',
    facts: F.facts(F.deployment('web', { replicas: 0 }), { service: F.service('web', { app: 'web' }), endpoints: F.obj('web'), events: [F.event('Deployment', 'web', 'ScalingReplicaSet', 'Scaled down replica set web-5d4f8 from 2 to 0')] }),
    rule: 'scaled-to-zero',
    mentions: [/scaled to 0 replicas/],
    expect: 'yolo',
    command: /^kubectl scale deployment\/web -n shop --replicas=2$/,
  },
  {
    name: 'scaled to zero with no recorded count → 1, but a human confirms',
    facts: F.facts(F.deployment('web', { replicas: 0 }), { service: F.service('web', { app: 'web' }), endpoints: F.obj('web') }),
    rule: 'scaled-to-zero',
    mentions: [/scaled to 0 replicas/],
    expect: 'approval',
    command: /--replicas=1$/,
  },
  {
    name: 'StatefulSet crash after an update → roll back to the healthy ControllerRevision (YOLO)',
    facts: F.stsRollbackFacts(),
    rule: 'crash-loop',
    mentions: [/exit code 1/, /revision 2 introduced it/],
    expect: 'yolo',
    command: /^kubectl rollout undo statefulset\/db -n shop --to-revision=1$/,
    then: [/^kubectl delete pod db-1 -n shop$/],
  },
  {
    name: 'DaemonSet crash after an update → roll back to the healthy ControllerRevision (YOLO, no pod deletion)',
    facts: F.dsRollbackFacts(),
    rule: 'crash-loop',
    mentions: [/daemonset agent crash-loops with exit code 143 \(terminated by SIGTERM/],
    expect: 'yolo',
    command: /^kubectl rollout undo daemonset\/agent -n shop --to-revision=1$/,
  },
  {
    name: 'readiness probe on an undeclared port, no earlier revision → the only declared port (approval)',
    facts: F.facts(F.deployment('web', { ports: [8080] }), {
      pods: [{ ...F.runningPod('web-1', 'web', 'node-1'), status: { phase: 'Running', startTime: new Date(Date.now() - 600_000).toISOString(), containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { running: {} } }] } }],
      unhealthyEvents: [F.event('Pod', 'web-1', 'Unhealthy', 'Readiness probe failed: Get "http://10.0.0.7:9090/ready": dial tcp 10.0.0.7:9090: connect: connection refused')],
      workload: (() => {
        const d = F.deployment('web', { ports: [8080] });
        d.spec.template.spec.containers[0].readinessProbe = { httpGet: { path: '/ready', port: 9090 } };
        return workloadFromObject('Deployment', d);
      })(),
    }),
    rule: 'readiness-probe',
    mentions: [/readiness probe of container app in deployment web fails \(HTTP GET :9090\/ready, but the container declares port 8080\)/],
    expect: 'approval',
    command: /"readinessProbe":\{"httpGet":\{"port":8080\}\}/,
  },
];

describe('runbook rules, one row per failure class', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const p = analyzeRunbook(row.facts, settings);
    const text = `${p.rootCause}\n${p.escalate.reason ?? ''}`;
    expect(p.escalate.reason ?? '', p.rootCause).toMatch(row.expect === 'escalate' ? new RegExp(`\\[rule ${row.rule}\\]`) : /^$/);
    for (const m of row.mentions) expect(p.rootCause, text).toMatch(m);
    if (row.expect === 'escalate') {
      expect(p.actions).toEqual([]);
      expect(p.escalate.required).toBe(true);
      return;
    }
    expect(p.actions.map((a) => a.command)).toHaveLength(1 + (row.then?.length ?? 0));
    expect(p.actions[0].command).toMatch(row.command!);
    (row.then ?? []).forEach((re, i) => expect(p.actions[i + 1].command).toMatch(re));
    for (const action of p.actions) {
      expect(action.postconditions.every((c) => c.type !== 'none')).toBe(true);
      const risk = assessCommand(action.command, POLICY);
      expect(risk.level).not.toBe('forbidden');
      const decision = decideMode({
        level: risk.level,
        reasons: risk.reasons,
        readOnly: false,
        confidence: action.confidence,
        mode: 'yolo',
        protectedNamespace: false,
        destructiveEnabled: true,
        breakerOpen: false,
        killSwitch: false,
        thresholds: { yoloMin: 0.8, yoloMinHigh: 0.9, skipBelow: 0.7 },
      });
      expect(decision.kind, decision.reason).toBe(row.expect === 'yolo' ? 'execute' : 'approval');
    }
  });

  it('never prints Secret data or unfenced log text', () => {
    const p = analyzeRunbook(rows.find((r) => r.name.startsWith('crash exit 127'))!.facts, settings);
    const logFact = p.evidence.find((e) => e.fact.includes('untrusted-data'));
    expect(logFact?.fact).toMatch(/<untrusted-data source="logs web-1\/app">/);
    expect(JSON.stringify(p)).not.toMatch(/hunter2/);
  });

  it('a forced StatefulSet rollback deletes a pod at YOLO confidence only when its status shows it stuck on the bad revision', () => {
    const facts = F.stsRollbackFacts();
    // db-2: of the bad revision too, but just created: no container status yet, so "stuck" would be a guess.
    const fresh: KubeObject = { metadata: { name: 'db-2', namespace: ns, labels: { app: 'db', 'controller-revision-hash': 'db-bbb' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'x', controller: true }] }, spec: {}, status: { phase: 'Pending' } };
    const p = analyzeRunbook({ ...facts, pods: [...facts.pods, fresh] }, settings);
    expect(p.actions.map((a) => [a.command, a.confidence])).toEqual([
      ['kubectl rollout undo statefulset/db -n shop --to-revision=1', 0.9],
      ['kubectl delete pod db-1 -n shop', 0.9],
      ['kubectl delete pod db-2 -n shop', 0.75],
    ]);
    expect(p.evidence.map((e) => e.fact)).toEqual(expect.arrayContaining(['pod db-1 runs revision 2 (controller-revision-hash db-bbb) and is not ready and failing', 'pod db-2 runs revision 2 (controller-revision-hash db-bbb) and is not ready yet, with no failure observed']));
  });

  it('a Job target that a CronJob made: the failure names the CronJob, and the human step is to fix its job template', () => {
    const f = F.jobFacts('backup-29123', 3, [2, 2]);
    f.jobs![0].metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: 'c', controller: true }];
    const p = analyzeRunbook({ ...f, target: { namespace: ns, kind: 'Job', name: 'backup-29123' }, workload: workloadFromObject('Job', f.jobs![0]) }, settings);
    expect(p.actions).toEqual([]);
    expect(p.rootCause).toMatch(/^job backup-29123 \(a run of cronjob backup\) failed: BackoffLimitExceeded/);
    expect(p.escalate.humanStep).toMatch(/fix cronjob backup's job template .*kubectl edit cronjob\/backup -n shop.*kubectl create job --from=cronjob\/backup/);
  });

  it('a plain Job: recreate it, never a write from the agent', () => {
    const f = F.jobFacts('migrate', 1, [1]);
    const p = analyzeRunbook({ ...f, target: { namespace: ns, kind: 'Job', name: 'migrate' } }, settings);
    expect(p.actions).toEqual([]);
    expect(p.rootCause).toMatch(/^job migrate failed: BackoffLimitExceeded/);
    expect(p.escalate.humanStep).toMatch(/delete job\/migrate -n shop and create it again/);
  });

  it('a node down under pods that already ended (a Job\'s failed pods) is not their cause', () => {
    const failed = { ...F.runningPod('web-1', 'web', 'node-2'), status: { phase: 'Failed' } };
    const p = analyzeRunbook(F.facts(web, { pods: [failed], nodeObjects: [F.node('node-2', {}, { ready: 'Unknown' })] }), settings);
    expect(p.rootCause).not.toMatch(/node node-2/);
  });

  it('a missing Secret names the similarly named Secrets that exist (names only), and proposes none of them', () => {
    const facts = F.facts(web, { pods: [F.waitingPod('web-1', 'web', 'CreateContainerConfigError', 'secret "db-credential" not found')], secretNames: ['db-credentials', 'api-token', 'tls-cert'] });
    const p = analyzeRunbook(facts, settings);
    expect(p.rootCause).toMatch(/Secret db-credential does not exist/);
    expect(p.evidence.map((e) => e.fact)).toContain('Secrets with a similar name: db-credentials (names only; the agent never reads Secret data)');
    expect(p.escalate.reason).toMatch(/\(db-credentials\?\)/);
    expect(p.actions).toEqual([]);
    // Without a names-only lister (or none alike), nothing is guessed.
    expect(analyzeRunbook({ ...facts, secretNames: undefined }, settings).evidence.some((e) => e.fact.includes('similar name'))).toBe(false);
    // The names survive redaction on their way to notes and the audit ("Secrets: x" would read as a credential).
    for (const { fact } of p.evidence) expect(redactText(fact)).toBe(fact);
  });

  it('every workload kind is diagnosed by the same rules', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet'] as const) {
      const w = F.workload(kind, 'svc');
      const facts: RunbookFacts = { target: { namespace: ns, kind, name: 'svc' }, workload: workloadFromObject(kind, w), history: [], pods: [F.crashPod('svc-1', 'svc', 'app', 126, 3, kind)], unhealthyEvents: [] };
      expect(analyzeRunbook(facts, settings).rootCause).toMatch(new RegExp(`${kind.toLowerCase()} svc crash-loops with exit code 126 \\(the command was found but is not executable`));
    }
  });
});

export type { KubeObject };
