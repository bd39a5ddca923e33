// Each failure the agent must handle, reproduced in kube-sim and read back through the real kubectl the way a
// person would; then the fix a human would apply brings the pods back to Running and Ready.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSim } from '../../../chaos/sim/start-sim.js';
import { startSim } from '../../../chaos/sim/start-sim.js';
import type { Kubectl } from '../../helpers/kubectl.js';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';

interface PodRow {
  name: string;
  ready: string;
  status: string;
  restarts: number;
}

let sim: RunningSim;
let k: Kubectl;

async function pods(ns: string, selector?: string): Promise<PodRow[]> {
  const out = await k.ok(['get', 'pods', '-n', ns, '--no-headers', ...(selector ? ['-l', selector] : [])]);
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [name, ready, status, restarts] = l.trim().split(/\s+/);
      return { name, ready, status, restarts: Number(restarts) };
    });
}

/** Waits until every pod (matching selector) satisfies `check`, and there are `count` of them when given. */
async function waitPods(ns: string, check: (p: PodRow) => boolean, options: { selector?: string; count?: number; timeoutMs?: number } = {}): Promise<PodRow[]> {
  return eventually(async () => {
    const rows = await pods(ns, options.selector);
    if (options.count !== undefined && rows.length !== options.count) return undefined;
    return rows.length > 0 && rows.every(check) ? rows : undefined;
  }, options.timeoutMs ?? 30_000);
}

async function apply(ns: string, manifest: string): Promise<void> {
  await k.ok(['apply', '-n', ns, '-f', '-'], { input: manifest });
}

function deployment(name: string, containerYaml: string, extra: { replicas?: number; podAnnotations?: Record<string, string> } = {}): string {
  const annotations = extra.podAnnotations ? `\n      annotations: ${JSON.stringify(extra.podAnnotations)}` : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${extra.replicas ?? 2}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata:
      labels: {app: ${name}}${annotations}
    spec:
      containers:
${containerYaml}
`;
}

const runningReady = (p: PodRow): boolean => p.status === 'Running' && p.ready === '1/1';

beforeAll(async () => {
  sim = await startSim({ speed: 50, nodes: 3 });
  k = kubectlFor(sim.kubeconfigPath);
});

afterAll(async () => {
  await sim?.stop();
});

describe('kube-sim failure modes through the real kubectl', () => {
  it('a crashing container goes CrashLoopBackOff with growing restarts; rollout undo fixes it', async () => {
    await k.ok(['create', 'namespace', 'crash']);
    await apply('crash', deployment('api', '      - {name: api, image: "nginx:1.25"}'));
    await k.ok(['rollout', 'status', 'deploy/api', '-n', 'crash', '--timeout=30s']);
    await k.ok(['set', 'image', 'deploy/api', '-n', 'crash', 'api=busybox:1.36']);
    await k.ok(['patch', 'deploy/api', '-n', 'crash', '--type=json', '-p', '[{"op":"add","path":"/spec/template/spec/containers/0/command","value":["sh","-c","echo starting; exit 1"]}]']);
    const crashing = await eventually(async () => (await pods('crash')).find((p) => p.status === 'CrashLoopBackOff'));
    await eventually(async () => ((await pods('crash')).find((p) => p.name === crashing.name)?.restarts ?? 0) > crashing.restarts);
    const lastState = JSON.parse(await k.ok(['get', 'pod', crashing.name, '-n', 'crash', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated}']));
    expect(lastState).toMatchObject({ exitCode: 1, reason: 'Error' });
    const describe = await k.ok(['describe', 'pod', crashing.name, '-n', 'crash']);
    expect(describe).toMatch(/Warning\s+BackOff\s+.*Back-off restarting failed container api in pod/);
    expect(describe).toContain('Last State:     Terminated');

    const history = await k.ok(['rollout', 'history', 'deploy/api', '-n', 'crash']);
    expect(history).toMatch(/1\s+<none>[\s\S]*3\s+<none>/);
    await k.ok(['rollout', 'undo', 'deploy/api', '-n', 'crash', '--to-revision=1']);
    await k.ok(['rollout', 'status', 'deploy/api', '-n', 'crash', '--timeout=30s']);
    await waitPods('crash', runningReady, { count: 2 });
    const rs = JSON.parse(await k.ok(['get', 'rs', '-n', 'crash', '-o', 'json'])).items as Array<{ metadata: { annotations: Record<string, string> }; spec: { replicas: number } }>;
    const active = rs.find((r) => r.spec.replicas === 2);
    expect(active?.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '4', 'deployment.kubernetes.io/revision-history': '1' });
  });

  it('a missing image shows ErrImagePull/ImagePullBackOff; fixing the image rolls out', async () => {
    await k.ok(['create', 'namespace', 'image']);
    await apply('image', deployment('web', '      - {name: web, image: "nginx:9.9.9-does-not-exist"}', { replicas: 1 }));
    await eventually(async () => (await pods('image')).some((p) => p.status === 'ImagePullBackOff'));
    const events = await k.ok(['get', 'events', '-n', 'image', '--sort-by=.lastTimestamp']);
    expect(events).toContain('Failed to pull image "nginx:9.9.9-does-not-exist": rpc error: code = NotFound');
    expect(events).toContain('Error: ErrImagePull');
    await k.ok(['set', 'image', 'deploy/web', '-n', 'image', 'web=nginx:1.27']);
    await k.ok(['rollout', 'status', 'deploy/web', '-n', 'image', '--timeout=30s']);
    await waitPods('image', runningReady, { count: 1 });
  });

  it('a container over its memory limit is OOMKilled; kubectl set resources with a higher limit fixes it', async () => {
    await k.ok(['create', 'namespace', 'oom']);
    await apply('oom', deployment('hog', '      - {name: stress, image: polinux/stress, resources: {limits: {memory: 128Mi}}}', { podAnnotations: { 'sim.oncall-agent.dev/memory-mi.stress': '300' } }));
    const seen = new Set<string>();
    await eventually(async () => {
      for (const p of await pods('oom')) seen.add(p.status);
      return seen.has('OOMKilled') || seen.has('CrashLoopBackOff') ? true : undefined;
    }, 30_000, 20);
    const reason = await eventually(async () => (await k.ok(['get', 'pods', '-n', 'oom', '-o', 'jsonpath={.items[0].status.containerStatuses[0].lastState.terminated.reason}'])) || undefined);
    expect(reason).toBe('OOMKilled');
    expect(await k.ok(['get', 'pods', '-n', 'oom', '-o', 'jsonpath={.items[0].status.containerStatuses[0].lastState.terminated.exitCode}'])).toBe('137');
    await k.ok(['set', 'resources', 'deploy/hog', '-n', 'oom', '--limits=memory=512Mi']);
    await k.ok(['rollout', 'status', 'deploy/hog', '-n', 'oom', '--timeout=30s']);
    await waitPods('oom', (p) => runningReady(p) && p.restarts === 0, { count: 2 });
  });

  it('a missing ConfigMap gives CreateContainerConfigError (env) and ContainerCreating (volume); creating it recovers', async () => {
    await k.ok(['create', 'namespace', 'cfg']);
    await apply('cfg', deployment('env', '      - {name: app, image: "nginx:1.25", envFrom: [{configMapRef: {name: app-config}}]}', { replicas: 1 }));
    await apply(
      'cfg',
      `apiVersion: v1
kind: Pod
metadata: {name: mounts, labels: {app: mounts}}
spec:
  containers: [{name: app, image: "nginx:1.25", volumeMounts: [{name: conf, mountPath: /etc/conf}]}]
  volumes: [{name: conf, configMap: {name: app-config}}]
`,
    );
    await waitPods('cfg', (p) => p.status === 'CreateContainerConfigError', { selector: 'app=env', count: 1 });
    await waitPods('cfg', (p) => p.status === 'ContainerCreating', { selector: 'app=mounts', count: 1 });
    const events = await eventually(async () => {
      const out = await k.ok(['get', 'events', '-n', 'cfg']);
      return out.includes('FailedMount') && out.includes('Error: configmap "app-config" not found') ? out : undefined;
    });
    expect(events).toContain('MountVolume.SetUp failed for volume "conf" : configmap "app-config" not found');
    await k.ok(['create', 'configmap', 'app-config', '-n', 'cfg', '--from-literal=MODE=prod']);
    await waitPods('cfg', runningReady, { count: 2 });
  });

  it('a failing readiness probe keeps the pod Running 0/1; a failing liveness probe restarts it', async () => {
    await k.ok(['create', 'namespace', 'probe']);
    await apply(
      'probe',
      `apiVersion: v1
kind: Pod
metadata: {name: unready, annotations: {"sim.oncall-agent.dev/probe-fail.app": "readiness"}}
spec:
  containers: [{name: app, image: "nginx:1.25", readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}}]
---
apiVersion: v1
kind: Pod
metadata: {name: dying, annotations: {"sim.oncall-agent.dev/probe-fail.app": "liveness"}}
spec:
  containers: [{name: app, image: "nginx:1.25", livenessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 2, failureThreshold: 2}}]
`,
    );
    await eventually(async () => {
      const row = (await pods('probe')).find((p) => p.name === 'unready');
      return row?.status === 'Running' && row.ready === '0/1';
    });
    await eventually(async () => ((await pods('probe')).find((p) => p.name === 'dying')?.restarts ?? 0) >= 2);
    const describe = await k.ok(['describe', 'pod', 'dying', '-n', 'probe']);
    expect(describe).toContain('Liveness probe failed: HTTP probe failed with statuscode: 500');
    expect(describe).toContain('Container app failed liveness probe, will be restarted');
    expect(await k.ok(['get', 'events', '-n', 'probe', '--field-selector', 'involvedObject.name=unready'])).toContain('Readiness probe failed');
    await k.ok(['annotate', 'pod', 'unready', '-n', 'probe', 'sim.oncall-agent.dev/probe-fail.app-']);
    // "dying" keeps failing by design; only "unready" must recover.
    await eventually(async () => (await pods('probe')).find((p) => p.name === 'unready')?.ready === '1/1');
  });

  it('unschedulable pods stay Pending with the real FailedScheduling message; uncordon and smaller requests fix them', async () => {
    await k.ok(['create', 'namespace', 'sched']);
    const nodes = ['sim-node-1', 'sim-node-2', 'sim-node-3'];
    await k.ok(['cordon', ...nodes]);
    try {
      await apply('sched', deployment('pending', '      - {name: app, image: "nginx:1.25"}', { replicas: 1 }));
      await apply('sched', deployment('huge', '      - {name: app, image: "nginx:1.25", resources: {requests: {memory: 64Gi}}}', { replicas: 1 }));
      await waitPods('sched', (p) => p.status === 'Pending', { count: 2 });
      const message = await eventually(async () => {
        const out = await k.ok(['get', 'events', '-n', 'sched', '-o', 'jsonpath={range .items[?(@.reason=="FailedScheduling")]}{.message}{"\\n"}{end}']);
        return out.includes('node(s) were unschedulable') ? out : undefined;
      });
      expect(message).toContain('0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
      const condition = await k.ok(['get', 'pods', '-n', 'sched', '-l', 'app=pending', '-o', 'jsonpath={.items[0].status.conditions[?(@.type=="PodScheduled")].reason}']);
      expect(condition).toBe('Unschedulable');
    } finally {
      await k.ok(['uncordon', ...nodes]);
    }
    await waitPods('sched', runningReady, { selector: 'app=pending', count: 1 });
    await eventually(async () => {
      const out = await k.ok(['get', 'events', '-n', 'sched', '--field-selector', 'reason=FailedScheduling']);
      return out.includes('0/3 nodes are available: 3 Insufficient memory.') ? out : undefined;
    });
    expect((await pods('sched', 'app=huge'))[0].status).toBe('Pending');
    await k.ok(['set', 'resources', 'deploy/huge', '-n', 'sched', '--requests=memory=256Mi']);
    await k.ok(['rollout', 'status', 'deploy/huge', '-n', 'sched', '--timeout=30s']);
    await waitPods('sched', runningReady, { selector: 'app=huge', count: 1 });
  });

  it('scaling a deployment from 0 brings pods to Running; a deleted pod is replaced', async () => {
    await k.ok(['create', 'namespace', 'scale']);
    await apply('scale', deployment('svc', '      - {name: app, image: "redis:7"}', { replicas: 0 }));
    await k.ok(['scale', 'deploy/svc', '-n', 'scale', '--replicas=3']);
    const rows = await waitPods('scale', runningReady, { count: 3 });
    await k.ok(['delete', 'pod', rows[0].name, '-n', 'scale', '--timeout=20s']);
    const after = await waitPods('scale', runningReady, { count: 3 });
    expect(after.map((p) => p.name)).not.toContain(rows[0].name);
    expect(await k.ok(['get', 'deploy', 'svc', '-n', 'scale', '--no-headers'])).toMatch(/^svc\s+3\/3\s+3\s+3\s/);
  });

  it('completed pods show Completed; crashing Never pods show Error', async () => {
    await k.ok(['create', 'namespace', 'jobs']);
    await apply(
      'jobs',
      `apiVersion: v1
kind: Pod
metadata: {name: once, annotations: {"sim.oncall-agent.dev/exit-code.task": "0"}}
spec:
  restartPolicy: Never
  initContainers: [{name: setup, image: "busybox:1.36"}]
  containers: [{name: task, image: "busybox:1.36", command: [sh, -c, "echo done"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: broken}
spec:
  restartPolicy: Never
  containers: [{name: task, image: "busybox:1.36", command: [sh, -c, "exit 3"]}]
`,
    );
    await eventually(async () => (await pods('jobs')).find((p) => p.name === 'once')?.status === 'Completed');
    await eventually(async () => (await pods('jobs')).find((p) => p.name === 'broken')?.status === 'Error');
    expect(await k.ok(['get', 'pod', 'broken', '-n', 'jobs', '-o', 'jsonpath={.status.phase}'])).toBe('Failed');
    expect(await k.ok(['get', 'pod', 'once', '-n', 'jobs', '-o', 'jsonpath={.status.phase}'])).toBe('Succeeded');
  });

  it('a node whose kubelet dies goes NotReady, its pods are evicted and replaced elsewhere; they finish Terminating once it is back', async () => {
    await k.ok(['create', 'namespace', 'nodes']);
    await apply('nodes', deployment('spread', '      - {name: app, image: "nginx:1.25"}', { replicas: 3 }));
    await waitPods('nodes', runningReady, { count: 3 });
    const wide = await k.ok(['get', 'pods', '-n', 'nodes', '-o', 'wide', '--no-headers']);
    const victimNode = wide.trim().split('\n')[0].trim().split(/\s+/)[6];
    const onVictim = wide.split('\n').filter((l) => l.includes(victimNode)).length;
    await k.ok(['annotate', 'node', victimNode, 'sim.oncall-agent.dev/heartbeat=stop']);
    try {
      await eventually(async () => (await k.ok(['get', 'node', victimNode, '--no-headers'])).includes('NotReady'));
      const taints = await eventually(async () => (await k.ok(['get', 'node', victimNode, '-o', 'jsonpath={.spec.taints[*].key}'])) || undefined);
      expect(taints).toContain('node.kubernetes.io/unreachable');
      // 300 s toleration at speed 50: about 6 s.
      await eventually(async () => (await pods('nodes')).filter((p) => p.status === 'Terminating').length === onVictim, 40_000);
      await eventually(async () => (await pods('nodes')).filter(runningReady).length === 3, 30_000);
    } finally {
      await k.ok(['annotate', 'node', victimNode, 'sim.oncall-agent.dev/heartbeat-']);
    }
    await waitPods('nodes', runningReady, { count: 3 });
    await eventually(async () => !(await k.ok(['get', 'node', victimNode, '--no-headers'])).includes('NotReady'));
  });

  it('a node patched NotReady is tainted and untainted when patched back', async () => {
    const patch = (status: string) => JSON.stringify({ status: { conditions: [{ type: 'Ready', status, reason: 'ManualPatch', message: 'patched by test' }] } });
    await k.ok(['patch', 'node', 'sim-node-3', '--subresource=status', '--type=strategic', '-p', patch('False')]);
    await eventually(async () => (await k.ok(['get', 'node', 'sim-node-3', '-o', 'jsonpath={.spec.taints[*].key}'])).includes('node.kubernetes.io/not-ready'));
    expect(await k.ok(['get', 'node', 'sim-node-3', '--no-headers'])).toMatch(/NotReady/);
    await k.ok(['patch', 'node', 'sim-node-3', '--subresource=status', '--type=strategic', '-p', patch('True')]);
    await eventually(async () => (await k.ok(['get', 'node', 'sim-node-3', '-o', 'jsonpath={.spec.taints}'])) === '');
  });

  it('logs and logs --previous, drain and rollout restart work on simulated pods', async () => {
    await k.ok(['create', 'namespace', 'ops']);
    await apply('ops', deployment('app', '      - {name: app, image: "nginx:1.25", command: [sh, -c, "exit 2"]}', { replicas: 1, podAnnotations: { 'sim.oncall-agent.dev/log.app': 'booting\nfatal: config missing' } }));
    const pod = await eventually(async () => (await pods('ops')).find((p) => p.restarts >= 1));
    expect(await k.ok(['logs', pod.name, '-n', 'ops'])).toContain('fatal: config missing');
    expect(await k.ok(['logs', pod.name, '-n', 'ops', '--previous'])).toContain('booting');
    await k.ok(['patch', 'deploy/app', '-n', 'ops', '--type=json', '-p', '[{"op":"remove","path":"/spec/template/spec/containers/0/command"}]']);
    await k.ok(['rollout', 'status', 'deploy/app', '-n', 'ops', '--timeout=30s']);
    await k.ok(['rollout', 'restart', 'deploy/app', '-n', 'ops']);
    await k.ok(['rollout', 'status', 'deploy/app', '-n', 'ops', '--timeout=30s']);
    const [row] = await waitPods('ops', runningReady, { count: 1 });
    const node = await k.ok(['get', 'pod', row.name, '-n', 'ops', '-o', 'jsonpath={.spec.nodeName}']);
    await k.ok(['drain', node, '--ignore-daemonsets', '--force', '--timeout=30s']);
    try {
      const [moved] = await waitPods('ops', runningReady, { count: 1 });
      expect(await k.ok(['get', 'pod', moved.name, '-n', 'ops', '-o', 'jsonpath={.spec.nodeName}'])).not.toBe(node);
    } finally {
      await k.ok(['uncordon', node]);
    }
  });
  it('StatefulSets and DaemonSets roll out; rollout history and undo work on a StatefulSet', async () => {
    await k.ok(['create', 'namespace', 'stateful']);
    await apply(
      'stateful',
      `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: "postgres:16", env: [{name: POSTGRES_PASSWORD, value: example}]}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: "busybox:1.36", command: [sh, -c, "sleep 3600"]}]}
`,
    );
    expect(await k.ok(['rollout', 'status', 'sts/db', '-n', 'stateful', '--timeout=30s'])).toContain('roll out complete');
    expect(await k.ok(['rollout', 'status', 'ds/agent', '-n', 'stateful', '--timeout=30s'])).toContain('daemon set "agent" successfully rolled out');
    expect((await pods('stateful', 'app=db')).map((p) => p.name)).toEqual(['db-0', 'db-1']);
    expect(await pods('stateful', 'app=agent')).toHaveLength(3);
    await k.ok(['set', 'image', 'sts/db', '-n', 'stateful', 'pg=postgres:17']);
    await k.ok(['rollout', 'status', 'sts/db', '-n', 'stateful', '--timeout=30s']);
    await eventually(async () => (await k.ok(['get', 'pods', '-n', 'stateful', '-l', 'app=db', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])) === 'postgres:17 postgres:17');
    expect(await k.ok(['rollout', 'history', 'sts/db', '-n', 'stateful'])).toMatch(/1\s+<none>\s+2\s+<none>/);
    await k.ok(['rollout', 'undo', 'sts/db', '-n', 'stateful']);
    await eventually(async () => (await k.ok(['get', 'pods', '-n', 'stateful', '-l', 'app=db', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])) === 'postgres:16 postgres:16');
    await waitPods('stateful', runningReady, { selector: 'app=db', count: 2 });
  });
});
