// Everyday kubectl commands whose output differed from a real cluster's during the fidelity sweep: each test reads
// the output the way a person would and fails on the old behaviour. One sim for the whole file, one namespace per test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSim } from '../../../chaos/sim/start-sim.js';
import { startSim } from '../../../chaos/sim/start-sim.js';
import type { Kubectl } from '../../helpers/kubectl.js';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';

let sim: RunningSim;
let k: Kubectl;

const deployment = (name: string, replicas: number, image = 'nginx:1.25'): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: ${image}, ports: [{containerPort: 80}]}]
`;

async function namespace(name: string): Promise<string> {
  await k.ok(['create', 'namespace', name]);
  return name;
}

/** Rows of `kubectl get ... --no-headers`, split into cells. */
async function rows(args: string[]): Promise<string[][]> {
  const out = await k.ok(['get', ...args, '--no-headers']);
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s{2,}|\s+/));
}

beforeAll(async () => {
  sim = await startSim({ speed: 20, nodes: 3 });
  k = kubectlFor(sim.kubeconfigPath);
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

describe('kubectl against kube-sim, as on a real cluster', () => {
  it('describe service lists the ready pod endpoints (kubectl 1.32 reads EndpointSlices)', async () => {
    const ns = await namespace('slices');
    await k.ok(['apply', '-n', ns, '-f', '-'], { input: deployment('web', 2) });
    await k.ok(['expose', 'deployment', 'web', '-n', ns, '--port', '8080', '--target-port', '80']);
    const described = await eventually(async () => {
      const out = await k.ok(['describe', 'service', 'web', '-n', ns]);
      const line = out.split('\n').find((l) => l.startsWith('Endpoints:')) ?? '';
      return line.match(/10\.244\.\d+\.\d+:80/g)?.length === 2 ? out : undefined;
    });
    expect(described).toMatch(/TargetPort:\s+80\/TCP/);
    const slices = await rows(['endpointslices', '-n', ns]);
    expect(slices).toHaveLength(1);
    const [name, addressType, ports, endpoints] = slices[0];
    expect(name).toMatch(/^web-[a-z0-9]{5}$/);
    expect([addressType, ports]).toEqual(['IPv4', '80']);
    expect(endpoints.split(',')).toHaveLength(2);
    const labels = await k.ok(['get', 'endpointslices', '-n', ns, '-o', 'jsonpath={.items[0].metadata.labels}']);
    expect(JSON.parse(labels)).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });

    // The slice belongs to the Service: deleting the Service removes it.
    await k.ok(['delete', 'service', 'web', '-n', ns]);
    await eventually(async () => (await k.ok(['get', 'endpointslices', '-n', ns, '-o', 'name'])).trim() === '');
    const apiServer = await k.ok(['describe', 'service', 'kubernetes', '-n', 'default']);
    expect(apiServer).toMatch(/Endpoints:\s+127\.0\.0\.1:6443/);
  });

  it('a StatefulSet blocked by a quota retries and completes once the quota is lifted', async () => {
    const ns = await namespace('sts-quota');
    await k.ok(['create', 'quota', 'pods', '-n', ns, '--hard=pods=1']);
    await k.ok(['apply', '-n', ns, '-f', '-'], {
      input: `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: redis, image: redis:7}]
`,
    });
    const events = await eventually(async () => {
      const out = await k.ok(['get', 'events', '-n', ns, '--field-selector', 'reason=FailedCreate']);
      return out.includes('db-1') ? out : undefined;
    });
    expect(events).toContain('create Pod db-1 in StatefulSet db failed error: pods "db-1" is forbidden: exceeded quota: pods');
    await k.ok(['delete', 'quota', 'pods', '-n', ns]);
    await eventually(async () => (await rows(['statefulset', 'db', '-n', ns]))[0]?.[1] === '2/2', 30_000);
  });

  it('a NoSchedule taint leaves a running DaemonSet pod in place; NoExecute removes it', async () => {
    const ns = await namespace('ds-taint');
    await k.ok(['apply', '-n', ns, '-f', '-'], {
      input: `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox:1.36, command: [sh, -c, "sleep 1d"]}]
`,
    });
    const node = 'sim-node-2';
    const onNode = async (): Promise<string[][]> => (await rows(['pods', '-n', ns, '-o', 'wide'])).filter((r) => r.includes(node));
    const [original] = await eventually(async () => {
      const found = await onNode();
      return found.length === 1 && found[0][2] === 'Running' ? found : undefined;
    });
    try {
      await k.ok(['taint', 'nodes', node, 'dedicated=x:NoSchedule']);
      // DESIRED drops to 2 (the node no longer should run a new daemon pod) while the running pod stays.
      await eventually(async () => (await rows(['daemonset', 'agent', '-n', ns]))[0]?.[1] === '2');
      expect((await onNode()).map((r) => r[0])).toEqual([original[0]]);
      await k.ok(['taint', 'nodes', node, 'dedicated=x:NoExecute']);
      await eventually(async () => (await onNode()).length === 0);
    } finally {
      await k.run(['taint', 'nodes', node, 'dedicated-']);
    }
    await eventually(async () => (await onNode()).length === 1);
  });

  it('a deleted kube-root-ca.crt ConfigMap and default ServiceAccount come back', async () => {
    const ns = await namespace('root-ca');
    await eventually(async () => (await k.run(['get', 'configmap', 'kube-root-ca.crt', '-n', ns])).exitCode === 0);
    await k.ok(['delete', 'configmap', 'kube-root-ca.crt', '-n', ns]);
    await k.ok(['delete', 'serviceaccount', 'default', '-n', ns]);
    await eventually(async () => (await k.run(['get', 'configmap', 'kube-root-ca.crt', '-n', ns])).exitCode === 0);
    await eventually(async () => (await k.run(['get', 'serviceaccount', 'default', '-n', ns])).exitCode === 0);
  });

  it('manifests with mistakes get the real server errors: decode errors are 400, validation lists every cause', async () => {
    const ns = await namespace('mistakes');
    const withResources = (limits: string) => deployment('q', 1).replace('ports: [{containerPort: 80}]', `resources: {limits: ${limits}}`);
    const badQuantity = await k.run(['apply', '-n', ns, '-f', '-'], { input: withResources('{cpu: "abc"}') });
    expect(badQuantity.stderr).toContain(
      `Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
    const badSuffix = await k.run(['apply', '-n', ns, '-f', '-'], { input: withResources('{memory: "32MMi"}') });
    expect(badSuffix.stderr).toContain(`cannot be handled as a Deployment: unable to parse quantity's suffix`);

    const noSelector = await k.run(['apply', '-n', ns, '-f', '-'], { input: deployment('nosel', 1).replace('  selector: {matchLabels: {app: nosel}}\n', '') });
    expect(noSelector.stderr).toContain('The Deployment "nosel" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"nosel"}: `selector` does not match template `labels`');

    const badPolicy = await k.run(['apply', '-n', ns, '-f', '-'], { input: deployment('pol', 1).replace('image: nginx:1.25', 'image: nginx:1.25, imagePullPolicy: Sometimes') });
    expect(badPolicy.stderr).toContain(
      'The Deployment "pol" is invalid: spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    );
    expect((await k.ok(['get', 'deployments', '-n', ns, '-o', 'name'])).trim()).toBe('');
  });

  it('kubectl autoscale creates through autoscaling/v1; the HPA gets the real defaults and no-metrics events', async () => {
    const ns = await namespace('autoscale');
    await k.ok(['apply', '-n', ns, '-f', '-'], { input: deployment('api', 1) });
    expect(await k.ok(['autoscale', 'deployment', 'api', '-n', ns, '--max=4'])).toContain('horizontalpodautoscaler.autoscaling/api autoscaled');
    // minReplicas 1 and CPU 80% are the autoscaling/v2 defaults; without metrics-server the target is <unknown>.
    const [row] = await rows(['hpa', 'api', '-n', ns]);
    expect(row.slice(0, 5)).toEqual(['api', 'Deployment/api', 'cpu:', '<unknown>/80%', '1']);
    const v1 = JSON.parse(await k.ok(['get', '--raw', `/apis/autoscaling/v1/namespaces/${ns}/horizontalpodautoscalers/api`]));
    expect(v1).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 80 } });
    const described = await eventually(async () => {
      const out = await k.ok(['describe', 'hpa', 'api', '-n', ns]);
      return out.includes('FailedComputeMetricsReplicas') ? out : undefined;
    });
    expect(described).toMatch(/Warning\s+FailedGetResourceMetric\s+.*horizontal-pod-autoscaler\s+failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API/);

    await k.ok(['create', '-n', ns, '-f', '-'], {
      input: 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: ghost}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ghost}\n  maxReplicas: 3\n',
    });
    const ghost = await eventually(async () => {
      const out = await k.ok(['describe', 'hpa', 'ghost', '-n', ns]);
      return out.includes('FailedGetScale') && out.includes('Events:') && !out.includes('Events:  <none>') ? out : undefined;
    });
    expect(ghost).toContain(`the HPA controller was unable to get the target's current scale: deployments/scale.apps "ghost" not found`);
  });

  it('a progress deadline shortened after creation still fires (rollout status reports it)', async () => {
    const ns = await namespace('deadline');
    await k.ok(['apply', '-n', ns, '-f', '-'], { input: deployment('slow', 2) });
    await k.ok(['rollout', 'status', 'deployment/slow', '-n', ns, '--timeout=30s']);
    await k.ok(['patch', 'deployment', 'slow', '-n', ns, '-p', '{"spec":{"progressDeadlineSeconds":30}}']);
    await k.ok(['set', 'image', 'deployment/slow', '-n', ns, 'app=nginx:does-not-exist']);
    const status = await k.run(['rollout', 'status', 'deployment/slow', '-n', ns, '--timeout=20s']);
    expect(status.exitCode).toBe(1);
    expect(status.stderr).toContain('error: deployment "slow" exceeded its progress deadline');
    const described = await k.ok(['describe', 'deployment', 'slow', '-n', ns]);
    expect(described).toMatch(/Progressing\s+False\s+ProgressDeadlineExceeded/);
  });

  it('Jobs and CronJobs are served: kubectl create job/cronjob, completion, back-off limit, real columns', async () => {
    const ns = await namespace('batch');
    expect(await k.ok(['create', 'job', 'sleepy', '-n', ns, '--image=busybox:1.36', '--', 'sleep', '1000'])).toContain('job.batch/sleepy created');
    expect(await k.ok(['create', 'cronjob', 'nightly', '-n', ns, '--image=busybox:1.36', '--schedule=0 0 30 2 *', '--', 'echo', 'hi'])).toContain('cronjob.batch/nightly created');
    const job = (name: string, exitCode: string, extra: string) => `
apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
  ${extra}
  template:
    metadata: {annotations: {sim.oncall-agent.dev/exit-code.app: "${exitCode}"}}
    spec:
      restartPolicy: Never
      containers: [{name: app, image: busybox:1.36, command: [sh, -c, "echo work"]}]
`;
    await k.ok(['apply', '-n', ns, '-f', '-'], { input: job('twice', '0', 'completions: 2') });
    await k.ok(['apply', '-n', ns, '-f', '-'], { input: job('broken', '3', 'backoffLimit: 1') });
    await k.ok(['wait', '-n', ns, '--for=condition=complete', 'job/twice', '--timeout=20s']);
    await k.ok(['wait', '-n', ns, '--for=condition=failed', 'job/broken', '--timeout=20s']);

    const jobs = Object.fromEntries((await rows(['jobs', '-n', ns])).map((r) => [r[0], r.slice(1, 3)]));
    expect(jobs).toEqual({ broken: ['Failed', '0/1'], sleepy: ['Running', '0/1'], twice: ['Complete', '2/2'] });
    const described = await k.ok(['describe', 'job', 'broken', '-n', ns]);
    expect(described).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 0 Succeeded \/ 2 Failed/);
    expect(described).toMatch(/Warning\s+BackoffLimitExceeded\s+.*job-controller\s+Job has reached the specified backoff limit/);
    const pods = await k.ok(['get', 'pods', '-n', ns, '-l', 'job-name=sleepy', '-o', 'jsonpath={.items[*].metadata.labels.batch\\.kubernetes\\.io/job-name}']);
    expect(pods).toBe('sleepy');

    const [cron] = await rows(['cronjobs', '-n', ns]);
    // February 30th never comes, so no Job appears during the test.
    expect(cron).toEqual(['nightly', '0', '0', '30', '2', '*', '<none>', 'False', '0', '<none>', expect.any(String)]);
    const restartAlways = await k.run(['apply', '-n', ns, '-f', '-'], { input: job('always', '0', 'completions: 1').replace('restartPolicy: Never', 'restartPolicy: Always') });
    expect(restartAlways.stderr).toContain('spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"');
    const empty = await k.run(['get', 'ingress,networkpolicy', '-n', ns]);
    expect(empty.exitCode).toBe(0);
    expect(empty.stderr).toContain('No resources found');
    // Like minikube, kube-sim starts with one default StorageClass.
    expect(await k.ok(['get', 'storageclass'])).toMatch(/^standard \(default\)\s+k8s\.io\/minikube-hostpath\s+Delete\s+Immediate\s+false\s+\S+$/m);
  });

  it('cordon and uncordon leave the kubelet\'s NodeNotSchedulable / NodeSchedulable events on the node', async () => {
    const node = 'sim-node-3';
    await k.ok(['cordon', node]);
    try {
      const described = await eventually(async () => {
        const out = await k.ok(['describe', 'node', node]);
        return /Normal\s+NodeNotSchedulable\s+\S+\s+kubelet\s+Node sim-node-3 status is now: NodeNotSchedulable/.test(out) ? out : undefined;
      });
      expect(described).toMatch(/Unschedulable:\s+true/);
    } finally {
      await k.ok(['uncordon', node]);
    }
    await eventually(async () => (await k.ok(['describe', 'node', node])).includes('status is now: NodeSchedulable'));
  });

  it('logs -f follows a running container until its pod goes away', async () => {
    const ns = await namespace('logs');
    await k.ok(['run', 'talker', '-n', ns, '--image=busybox:1.36', '--annotations=sim.oncall-agent.dev/log.talker=line1\nline2', '--', 'sleep', '1000']);
    await eventually(async () => (await rows(['pod', 'talker', '-n', ns]))[0]?.[2] === 'Running');
    const follow = k.run(['logs', '-f', 'talker', '-n', ns], { timeoutMs: 20_000 });
    let followDone = false;
    void follow.then(() => (followDone = true));
    // Still streaming while the container runs (a real kubelet keeps the connection open).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(followDone).toBe(false);
    await k.ok(['delete', 'pod', 'talker', '-n', ns, '--wait=false']);
    const followed = await follow;
    expect(followed.exitCode).toBe(0);
    expect(followed.stdout).toBe('line1\nline2');
  });

  it('logs --since keeps only lines newer than the window', async () => {
    const ns = await namespace('logs-since');
    await k.ok(['run', 'old', '-n', ns, '--image=busybox:1.36', '--annotations=sim.oncall-agent.dev/log.old=hello', '--', 'sleep', '1000']);
    await eventually(async () => (await rows(['pod', 'old', '-n', ns]))[0]?.[2] === 'Running');
    expect(await k.ok(['logs', 'old', '-n', ns, '--since=1h'])).toBe('hello');
    // The simulated line was written at container start; wait past it, then a 1 s window is empty.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await k.ok(['logs', 'old', '-n', ns, '--since=1s'])).toBe('');
  });

  it('node ports are allocated as on a real cluster: range, uniqueness, released when leaving NodePort', async () => {
    const ns = await namespace('nodeports');
    await k.ok(['create', 'service', 'nodeport', 'first', '-n', ns, '--tcp=80:8080', '--node-port=30101']);
    const taken = await k.run(['create', 'service', 'nodeport', 'second', '-n', ns, '--tcp=80:8080', '--node-port=30101']);
    expect(taken.stderr).toContain('spec.ports[0].nodePort: Invalid value: 30101: provided port is already allocated');
    const outOfRange = await k.run(['patch', 'service', 'first', '-n', ns, '--type=json', '-p', '[{"op":"replace","path":"/spec/ports/0/nodePort","value":80}]']);
    expect(outOfRange.stderr).toContain(
      'The Service "first" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    await k.ok(['patch', 'service', 'first', '-n', ns, '-p', '{"spec":{"type":"ClusterIP"}}']);
    const [first] = await rows(['service', 'first', '-n', ns]);
    expect([first[1], first[4]]).toEqual(['ClusterIP', '80/TCP']);
    await k.ok(['create', 'service', 'nodeport', 'second', '-n', ns, '--tcp=80:8080', '--node-port=30101']);
  });

  it('a CronJob runs its Job when the schedule comes due (simulated minutes) and keeps its history', async () => {
    const ns = await namespace('cron');
    await k.ok(['apply', '-n', ns, '-f', '-'], {
      input: `
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/1 * * * *"
  successfulJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:
        metadata: {annotations: {sim.oncall-agent.dev/exit-code.app: "0"}}
        spec:
          restartPolicy: Never
          containers: [{name: app, image: busybox:1.36, command: [sh, -c, "date"]}]
`,
    });
    const job = await eventually(async () => (await rows(['jobs', '-n', ns]))[0], 30_000);
    expect(job[0]).toMatch(/^tick-\d+$/);
    await k.ok(['wait', '-n', ns, '--for=condition=complete', `job/${job[0]}`, '--timeout=20s']);
    const described = await eventually(async () => {
      const out = await k.ok(['describe', 'cronjob', 'tick', '-n', ns]);
      return out.includes('SawCompletedJob') ? out : undefined;
    });
    expect(described).toMatch(/Normal\s+SuccessfulCreate\s+.*cronjob-controller\s+Created job tick-\d+/);
    const [cron] = await rows(['cronjobs', '-n', ns]);
    expect(cron.slice(-2)[0]).not.toBe('<none>');
  });
});
