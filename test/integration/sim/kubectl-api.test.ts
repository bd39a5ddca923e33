// The real kubectl v1.32 against kube-sim's API server (controllers not started: objects that controllers or
// kubelets would write are put straight into the store), checked the way a person reads the output.

import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/index.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { addEvent, addNode, addPod } from './sim-fixtures.js';

const deployment = (image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports: [{containerPort: 80}]
`;

let sim: RunningSim;
let kubectl: Kubectl;

beforeAll(async () => {
  sim = await startSim({ withoutControllers: true });
  kubectl = kubectlFor(sim.kubeconfigPath);
  addNode(sim.store, 'node-1');
});

afterAll(async () => {
  await sim?.stop();
});

describe('kubectl against kube-sim', () => {
  it('apply -f creates, then configures; get -o wide shows the real deployment columns', async () => {
    expect(await kubectl.ok(['apply', '-f', '-'], { input: deployment('nginx:1.25') })).toContain('deployment.apps/web created');
    expect(await kubectl.ok(['apply', '-f', '-'], { input: deployment('nginx:1.25.4', 3) })).toContain('deployment.apps/web configured');
    const wide = await kubectl.ok(['get', 'deploy', 'web', '-o', 'wide']);
    expect(wide.split('\n')[0].split(/\s{2,}/)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(wide).toMatch(/^web\s+0\/3\s+0\s+0\s+\d+s\s+nginx\s+nginx:1\.25\.4\s+app=web$/m);
    expect(await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.25.4');
    const json = JSON.parse(await kubectl.ok(['get', 'deploy', 'web', '-o', 'json'])) as { metadata: { generation: number }; spec: { strategy: unknown } };
    expect(json.metadata.generation).toBe(2);
    expect(json.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  });

  it('apply --dry-run=server persists nothing; diff exits 1 with a unified diff', async () => {
    const before = await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}']);
    expect(await kubectl.ok(['apply', '--dry-run=server', '-f', '-'], { input: deployment('nginx:1.26', 3) })).toContain('configured (server dry run)');
    expect(await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}'])).toBe(before);
    const diff = await kubectl.run(['diff', '-f', '-'], { input: deployment('nginx:1.26', 3) });
    expect(diff.exitCode).toBe(1);
    expect(diff.stdout).toContain('-      - image: nginx:1.25.4');
    expect(diff.stdout).toContain('+      - image: nginx:1.26');
  });

  it('patches with strategic, merge and json types; scale, label, annotate', async () => {
    await kubectl.ok(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"MODE","value":"blue"}]}]}}}}']);
    await kubectl.ok(['patch', 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"front"}}}']);
    await kubectl.ok(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']);
    expect(await kubectl.ok(['scale', 'deploy', 'web', '--replicas=5'])).toContain('deployment.apps/web scaled');
    await kubectl.ok(['label', 'deploy', 'web', 'team=sre']);
    await kubectl.ok(['annotate', 'deploy', 'web', 'note=checked']);
    const d = JSON.parse(await kubectl.ok(['get', 'deploy', 'web', '-o', 'json']));
    expect(d.spec.replicas).toBe(5);
    expect(d.metadata.labels).toEqual({ app: 'web', tier: 'front', team: 'sre' });
    expect(d.metadata.annotations.note).toBe('checked');
    expect(d.spec.template.spec.containers).toHaveLength(1);
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'blue' }]);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.25.4');
    const bad = await kubectl.run(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/nope/x","value":1}]']);
    expect(bad.stderr).toContain('The request is invalid: the server rejected our request due to an error in our request');
  });

  it('set image and set resources change the template', async () => {
    await kubectl.ok(['set', 'image', 'deploy/web', 'nginx=nginx:1.27']);
    await kubectl.ok(['set', 'resources', 'deploy', 'web', '--limits=cpu=200m,memory=256Mi', '--requests=cpu=100m,memory=128Mi']);
    const c = JSON.parse(await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0]}']));
    expect(c.image).toBe('nginx:1.27');
    expect(c.resources).toEqual({ limits: { cpu: '200m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
  });

  it('answers errors like a real server', async () => {
    const missing = await kubectl.run(['get', 'deploy', 'nope']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    const invalid = await kubectl.run(['apply', '-f', '-'], { input: deployment('nginx:1.25', -1).replace('name: web', 'name: neg') });
    expect(invalid.stderr).toContain('The Deployment "neg" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const exists = await kubectl.run(['create', 'deployment', 'web', '--image=nginx']);
    expect(exists.stderr.trim()).toBe('error: failed to create deployment: deployments.apps "web" already exists');
    const strict = await kubectl.run(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typo}\ndataa: {a: b}\n' });
    expect(strict.stderr).toContain('strict decoding error: unknown field "dataa"');
    const typo = await kubectl.run(['apply', '-f', '-'], { input: deployment('nginx:1.25').replace('name: typo-x', '').replace('replicas: 2', 'replica: 2').replace('name: web', 'name: typo').replace('image: nginx:1.25', 'image: nginx:1.25\n        imagePullPolicyy: Always') });
    expect(typo.stderr).toContain(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
    );
  });

  it('kubectl create <kind> (protobuf bodies) works for configmaps, secrets and namespaces', async () => {
    expect(await kubectl.ok(['create', 'configmap', 'app-config', '--from-literal=mode=blue'])).toContain('configmap/app-config created');
    expect(await kubectl.ok(['create', 'secret', 'generic', 'db', '--from-literal=password=s3cret'])).toContain('secret/db created');
    expect(await kubectl.ok(['create', 'namespace', 'team-a'])).toContain('namespace/team-a created');
    expect(await kubectl.ok(['get', 'cm', 'app-config', '-o', 'jsonpath={.data.mode}'])).toBe('blue');
    expect(Buffer.from(await kubectl.ok(['get', 'secret', 'db', '-o', 'jsonpath={.data.password}']), 'base64').toString()).toBe('s3cret');
    const cms = await kubectl.ok(['get', 'cm']);
    expect(cms).toMatch(/^NAME\s+DATA\s+AGE$/m);
    expect(cms).toMatch(/^app-config\s+1\s+\d+s$/m);
  });

  it('get pods prints READY/STATUS/RESTARTS as the real server computes them; describe shows events', async () => {
    addPod(sim.store, 'healthy', { node: 'node-1' });
    const crashy = addPod(sim.store, 'crashy', { node: 'node-1', crashLoop: true });
    addPod(sim.store, 'pending');
    addEvent(sim.store, 'crashy.1', crashy, 'BackOff', 'Back-off restarting failed container app in pod crashy_default', 5, 'Warning');
    const table = await kubectl.ok(['get', 'pods']);
    expect(table.split('\n')[0].split(/\s{2,}/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(table).toMatch(/^crashy\s+0\/1\s+CrashLoopBackOff\s+3 \(2m\d+s ago\)\s+\d+s$/m);
    expect(table).toMatch(/^healthy\s+1\/1\s+Running\s+0\s+\d+s$/m);
    expect(table).toMatch(/^pending\s+0\/1\s+Pending\s+0\s+\d+s$/m);
    const wide = await kubectl.ok(['get', 'pod', 'healthy', '-o', 'wide']);
    expect(wide).toMatch(/^healthy\s+1\/1\s+Running\s+0\s+\d+s\s+10\.244\.1\.7\s+node-1\s+<none>\s+<none>$/m);
    const described = await kubectl.ok(['describe', 'pod', 'crashy']);
    expect(described).toMatch(/^Status:\s+Running$/m);
    expect(described).toMatch(/^Events:/m);
    expect(described).toMatch(/Warning\s+BackOff\s+\S+\s+kubelet\s+Back-off restarting failed container app/);
    const labelled = await kubectl.ok(['get', 'pods', '-l', 'app in (healthy,pending)', '-o', 'name']);
    expect(labelled.trim().split('\n').sort()).toEqual(['pod/healthy', 'pod/pending']);
    const onNode = await kubectl.ok(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=node-1,status.phase=Running', '-o', 'name']);
    expect(onNode.trim().split('\n').sort()).toEqual(['pod/crashy', 'pod/healthy']);
  });

  it('get events --sort-by=.lastTimestamp orders oldest first', async () => {
    const pod = sim.store.get('pods', 'default', 'healthy')!;
    addEvent(sim.store, 'healthy.b', pod, 'Started', 'Started container app', 30);
    addEvent(sim.store, 'healthy.a', pod, 'Pulled', 'Container image "busybox:1.36" already present on machine', 90);
    const out = await kubectl.ok(['get', 'events', '--sort-by=.lastTimestamp']);
    expect(out.split('\n')[0].split(/\s{2,}/)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    const reasons = out.trim().split('\n').slice(1).map((l) => l.split(/\s{2,}/)[2]);
    expect(reasons).toEqual(['Pulled', 'Started', 'BackOff']);
  });

  it('logs and logs --previous come from the log annotation', async () => {
    const pod = sim.store.get('pods', 'default', 'crashy')!;
    sim.store.update('pods', { ...pod, metadata: { ...pod.metadata, annotations: { 'sim.oncall-agent.dev/log.app': 'starting\nerror: boom' } } });
    expect(await kubectl.ok(['logs', 'crashy'])).toBe('starting\nerror: boom');
    expect(await kubectl.ok(['logs', 'crashy', '--previous', '--tail=1'])).toBe('error: boom');
    const wrong = await kubectl.run(['logs', 'crashy', '-c', 'nope']);
    expect(wrong.stderr.trim()).toBe('error: container nope is not valid for pod crashy');
  });

  it('delete: an unbound pod goes at once, a bound pod turns Terminating until its kubelet confirms', async () => {
    expect(await kubectl.ok(['delete', 'pod', 'pending'])).toContain('pod "pending" deleted');
    expect((await kubectl.run(['get', 'pod', 'pending'])).exitCode).toBe(1);
    expect(await kubectl.ok(['delete', 'pod', 'healthy', '--wait=false'])).toContain('pod "healthy" deleted');
    expect(await kubectl.ok(['get', 'pod', 'healthy'])).toMatch(/^healthy\s+1\/1\s+Terminating\s+0/m);
    const timedOut = await kubectl.run(['delete', 'pod', 'healthy', '--timeout=2s']);
    expect(timedOut.stderr).toContain('timed out waiting for the condition on pods/healthy');
    await kubectl.ok(['delete', 'pod', 'healthy', '--force', '--grace-period=0']);
    expect((await kubectl.run(['get', 'pod', 'healthy'])).stderr).toContain('pods "healthy" not found');
  });

  it('rollout history and undo work on ReplicaSets carrying revisions', async () => {
    const d = sim.store.get('deployments', 'default', 'web')!;
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true };
    for (const [revision, image, hash] of [['1', 'nginx:1.25', 'aaa111'], ['2', 'nginx:1.27', 'bbb222']] as const) {
      sim.store.create('replicasets', {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `web-${hash}`, namespace: 'default', labels: { app: 'web', 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [owner] },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } },
          template: { metadata: { labels: { app: 'web', 'pod-template-hash': hash } }, spec: { containers: [{ name: 'nginx', image }] } },
        },
      } as never);
    }
    const current = sim.store.get('deployments', 'default', 'web')!;
    sim.store.update('deployments', { ...current, metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, 'deployment.kubernetes.io/revision': '2' } } });
    const history = await kubectl.ok(['rollout', 'history', 'deploy/web']);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    expect(await kubectl.ok(['rollout', 'undo', 'deploy/web'])).toContain('deployment.apps/web rolled back');
    expect(await kubectl.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.25');
  });

  it('cordon and uncordon show SchedulingDisabled on the node', async () => {
    await kubectl.ok(['cordon', 'node-1']);
    expect(await kubectl.ok(['get', 'nodes'])).toMatch(/^node-1\s+Ready,SchedulingDisabled\s+worker\s+\d+s\s+v1\.26\.1$/m);
    await kubectl.ok(['uncordon', 'node-1']);
    expect(await kubectl.ok(['get', 'node', 'node-1'])).toMatch(/^node-1\s+Ready\s+worker/m);
  });

  it('a ResourceQuota makes a pod create fail with 403 Forbidden', async () => {
    await kubectl.ok(['create', 'namespace', 'quota-demo']);
    await kubectl.ok(['create', 'quota', 'pods-max', '--hard=pods=1', '-n', 'quota-demo']);
    await kubectl.ok(['run', 'one', '--image=nginx:1.25', '-n', 'quota-demo']);
    const second = await kubectl.run(['run', 'two', '--image=nginx:1.25', '-n', 'quota-demo']);
    expect(second.stderr.trim()).toBe(
      'Error from server (Forbidden): pods "two" is forbidden: exceeded quota: pods-max, requested: pods=1, used: pods=1, limited: pods=1',
    );
  });

  it('apply --server-side creates, then merges (simplified server-side apply)', async () => {
    const cm = (mode: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa-demo}\ndata: {mode: ${mode}}\n`;
    expect(await kubectl.ok(['apply', '--server-side', '-f', '-'], { input: cm('one') })).toContain('configmap/ssa-demo serverside-applied');
    expect(await kubectl.ok(['apply', '--server-side', '-f', '-'], { input: cm('two') })).toContain('configmap/ssa-demo serverside-applied');
    expect(await kubectl.ok(['get', 'cm', 'ssa-demo', '-o', 'jsonpath={.data.mode}'])).toBe('two');
  });

  it('auth can-i answers yes: the kube-sim user is a cluster admin', async () => {
    expect((await kubectl.ok(['auth', 'can-i', 'delete', 'pods', '-n', 'kube-system'])).trim()).toBe('yes');
  });

  it('get pods --watch prints new rows as the server streams one-row Tables', async () => {
    await kubectl.ok(['get', 'pods']); // warm the discovery cache
    const watcher = execa('kubectl', ['--kubeconfig', kubectl.kubeconfigPath, '--cache-dir', kubectl.cacheDir, 'get', 'pods', '--watch'], { reject: false });
    let out = '';
    watcher.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    try {
      await eventually(() => out.includes('STATUS'));
      addPod(sim.store, 'watched');
      await eventually(() => /^watched\s+0\/1\s+Pending\s+0\s+\d+s$/m.test(out));
    } finally {
      watcher.kill();
      await watcher;
    }
  });
});
