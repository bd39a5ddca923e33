// The program model, volumes, metrics and Endpoints through the real kubectl on one kube-sim: what a user of a
// real cluster would see for the same manifests (texts cited in test/unit/sim/program-model.test.ts and
// test/unit/sim-controllers/scheduler-fidelity.test.ts; shapes from the API reference of each kind).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSim } from '../../../chaos/sim/start-sim.js';
import { startSim } from '../../../chaos/sim/start-sim.js';
import type { Kubectl } from '../../helpers/kubectl.js';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';

let sim: RunningSim;
let k: Kubectl;
const notes: string[] = [];

const manifest = `
apiVersion: v1
kind: Pod
metadata: {name: typo, namespace: model}
spec:
  initContainers: [{name: fetch, image: "busybox:1.36", command: [sh, -c, "wge -q http://config/"]}]
  containers: [{name: web, image: "nginx:1.25"}]
---
apiVersion: v1
kind: Pod
metadata: {name: execmissing, namespace: model}
spec:
  containers: [{name: app, image: "busybox:1.36", command: [wge, "http://config/"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: hog, namespace: model}
spec:
  containers: [{name: hog, image: "busybox:1.36", command: [tail, /dev/zero], resources: {limits: {memory: 50Mi}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: talker, namespace: model, annotations: {sim.oncall-agent.dev/memory-mi.app: "42"}}
spec:
  containers: [{name: app, image: "busybox:1.36", command: [sh, -c, "echo starting; echo ready; sleep infinity"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: model, labels: {app: web}}
spec:
  containers: [{name: web, image: "nginx:1.25", readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}}]
---
apiVersion: v1
kind: Pod
metadata: {name: opaque, namespace: model}
spec:
  containers: [{name: app, image: "sim.local/shop/api:1"}]
---
apiVersion: v1
kind: Service
metadata: {name: nobody, namespace: model}
spec: {selector: {app: nobody}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: model}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: redis, image: "redis:7", volumeMounts: [{name: data, mountPath: /data}]}]}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]
`;

beforeAll(async () => {
  sim = await startSim({ speed: 20, note: (line) => notes.push(line) });
  k = kubectlFor(sim.kubeconfigPath);
  await k.ok(['create', 'namespace', 'model']);
  await k.ok(['apply', '-f', '-'], { input: manifest });
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

const status = async (name: string) => {
  const line = (await k.ok(['get', 'pod', name, '-n', 'model', '--no-headers'])).trim().split(/\s+/);
  return { ready: line[1], status: line[2], restarts: Number(line[3]) };
};

describe('the program model through kubectl', () => {
  it('an init container with a typo fails with 127 and the shell message; the pod shows Init:Error / Init:CrashLoopBackOff', async () => {
    await eventually(async () => /^Init:(Error|CrashLoopBackOff)$/.test((await status('typo')).status), 30_000);
    const pod = JSON.parse(await k.ok(['get', 'pod', 'typo', '-n', 'model', '-o', 'json']));
    const init = pod.status.initContainerStatuses[0];
    expect(init.lastState.terminated ?? init.state.terminated).toMatchObject({ exitCode: 127, reason: 'Error' });
    expect(pod.status.phase).toBe('Pending');
    const logs = await k.run(['logs', 'typo', '-n', 'model', '-c', 'fetch']);
    const previous = await k.run(['logs', 'typo', '-n', 'model', '-c', 'fetch', '--previous']);
    expect(`${logs.stdout}${previous.stdout}`).toContain('sh: wge: not found');
  });

  it('an exec-form command missing from the image is a StartError (128) with the runtime text, then back-off', async () => {
    await eventually(async () => (await status('execmissing')).status === 'CrashLoopBackOff', 30_000);
    const pod = JSON.parse(await k.ok(['get', 'pod', 'execmissing', '-n', 'model', '-o', 'json']));
    const c = pod.status.containerStatuses[0];
    expect(c.state.waiting.message).toMatch(/^back-off (10|20|40)s restarting failed container=app pod=execmissing_model/);
    expect(c.lastState.terminated).toMatchObject({ exitCode: 128, reason: 'StartError', startedAt: '1970-01-01T00:00:00Z' });
    expect(c.lastState.terminated.message).toContain('exec: "wge": executable file not found in $PATH');
    expect(await k.ok(['get', 'events', '-n', 'model', '--field-selector', 'involvedObject.name=execmissing,reason=Failed'])).toContain('Error: failed to create containerd task');
  });

  it('tail /dev/zero under 50Mi is OOMKilled (137) and crash-loops', async () => {
    await eventually(async () => (await status('hog')).restarts >= 1, 30_000);
    const pod = JSON.parse(await k.ok(['get', 'pod', 'hog', '-n', 'model', '-o', 'json']));
    const c = pod.status.containerStatuses[0];
    expect(c.lastState.terminated ?? c.state.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(await k.ok(['get', 'events', '-n', 'model', '--field-selector', 'involvedObject.name=hog'])).toContain('OOMKilling');
  });

  it('logs come from what the script echoes; an opaque image is noted in the sim log, not silently', async () => {
    await eventually(async () => (await status('talker')).status === 'Running', 30_000);
    expect(await k.ok(['logs', 'talker', '-n', 'model'])).toBe('starting\nready');
    await eventually(() => notes.some((n) => n.includes('model/opaque') && n.includes('cannot interpret')), 30_000);
    expect((await status('opaque')).status).toBe('Running');
  });

  it('kubectl top pods and nodes read metrics.k8s.io', async () => {
    await eventually(async () => (await status('web')).ready === '1/1', 30_000);
    const pods = await eventually(async () => {
      const out = await k.run(['top', 'pods', '-n', 'model']);
      return out.exitCode === 0 && out.stdout.includes('web') ? out.stdout : undefined;
    }, 30_000);
    expect(pods).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    expect(pods).toMatch(/^web\s+1m\s+4Mi\s*$/m);
    expect(pods).toMatch(/^talker\s+0m\s+42Mi\s*$/m);
    const nodes = await k.ok(['top', 'nodes']);
    expect(nodes).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/);
    expect(nodes).toContain('sim-node-1');
    const one = JSON.parse(await k.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/model/pods/web']));
    expect(one).toMatchObject({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'web', namespace: 'model' }, containers: [{ name: 'web', usage: { memory: '4096Ki' } }] });
  });

  it('an Endpoints object with no addresses has no subsets field', async () => {
    const ep = await eventually(async () => JSON.parse(await k.ok(['get', 'endpoints', 'nobody', '-n', 'model', '-o', 'json'])), 30_000);
    expect(ep).not.toHaveProperty('subsets');
  });

  it('a default StorageClass provisions the claims of volumeClaimTemplates', async () => {
    expect(await k.ok(['get', 'storageclass'])).toMatch(/standard \(default\)\s+k8s\.io\/minikube-hostpath\s+Delete\s+Immediate\s+false/);
    await eventually(async () => {
      const out = await k.ok(['get', 'pvc', '-n', 'model', '--no-headers']);
      return /data-db-0\s+Bound\s+pvc-/.test(out) && /data-db-1\s+Bound\s+pvc-/.test(out);
    }, 30_000);
    expect(await k.ok(['get', 'events', '-n', 'model', '--field-selector', 'involvedObject.name=db'])).toContain('create Claim data-db-0 Pod db-0 in StatefulSet db success');
    expect(await k.ok(['get', 'pv'])).toMatch(/Bound\s+model\/data-db-0\s+standard/);
    await eventually(async () => (await status('db-1')).ready === '1/1', 30_000);
  });

  it('a claim naming a missing StorageClass stays Pending and so does its pod; creating the class fixes both', async () => {
    await k.ok(['apply', '-n', 'model', '-f', '-'], {
      input: `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: fast-data}
spec: {storageClassName: fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: needs-fast}
spec:
  containers: [{name: web, image: "nginx:1.25", volumeMounts: [{name: d, mountPath: /data}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: fast-data}}]
`,
    });
    const events = await eventually(async () => {
      const out = await k.ok(['get', 'events', '-n', 'model', '-o', 'jsonpath={range .items[*]}{.reason}{"\\t"}{.message}{"\\n"}{end}']);
      return out.includes('FailedScheduling\t0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.') ? out : undefined;
    }, 30_000);
    expect(events).toContain('ProvisioningFailed\tstorageclass.storage.k8s.io "fast" not found');
    expect((await status('needs-fast')).status).toBe('Pending');
    await k.ok(['apply', '-f', '-'], { input: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\nprovisioner: k8s.io/minikube-hostpath\n' });
    await eventually(async () => (await status('needs-fast')).status === 'Running', 30_000);
  });
});
