// Captured kubectl commands (k8s-reference/requests/*.txt, real kube-apiserver + kubectl 1.32) replayed against a
// full kube-sim, checking what an earlier audit found different. Expected values are the minimal shapes extracted
// from the named capture, with names, uids and times left out.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/index.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { simRequest } from '../../helpers/sim-http.js';

// inputs/manifests/web-v1.yaml and web-v2.yaml (replicas 2→3, nginx:1.25→1.25.4).
const web = (replicas: number, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "${image}", ports: [{containerPort: 80}]}]
`;

let sim: RunningSim;
let k: Kubectl;

beforeAll(async () => {
  sim = await startSim({ speed: 20, nodes: 1 });
  k = kubectlFor(sim.kubeconfigPath);
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

const section = (out: string, title: string) => out.split(`\n${title}:`)[1]?.split(/\n[A-Z][A-Za-z]+:/)[0] ?? '';

describe('replayed captures', () => {
  it('describe deployment (describe-deployment.txt): Available before Progressing, "Scaled up … to N" for a new ReplicaSet', async () => {
    await k.ok(['apply', '-f', '-'], { input: web(2, 'nginx:1.25') });
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=60s'], { timeoutMs: 70_000 });
    await k.ok(['apply', '-f', '-'], { input: web(3, 'nginx:1.25.4') });
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=60s'], { timeoutMs: 70_000 });
    const out = await eventually(async () => {
      const text = await k.ok(['describe', 'deployment', 'web']);
      return /Scaled down replica set \S+ to 0 from 1/.test(text) ? text : undefined;
    }, 30_000);
    // The capture's Conditions table, row for row.
    expect(section(out, 'Conditions').trim().split('\n').map((l) => l.trim().split(/\s+/))).toEqual([
      ['Type', 'Status', 'Reason'],
      ['----', '------', '------'],
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    expect(out).toMatch(/^Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable$/m);
    const messages = section(out, 'Events')
      .split('\n')
      .filter((l) => l.includes('ScalingReplicaSet'))
      .map((l) => l.split(/\s{2,}/).pop()?.replace(/web-[a-z0-9]+/, 'RS'));
    // Creation events carry no "from"; scaling events say "to N from M" (1.26+ wording).
    expect(messages[0]).toBe('Scaled up replica set RS to 2');
    expect(messages).toContain('Scaled up replica set RS to 1');
    expect(messages).toContain('Scaled up replica set RS to 3 from 2');
    expect(messages.at(-1)).toBe('Scaled down replica set RS to 0 from 1');
    expect(messages.filter((m) => / from 0$/.test(m ?? ''))).toEqual([]);

    // replicasets_web_after_rollouts.json: minReadySeconds 0 is omitted (omitempty), not written as 0.
    const rs = (await simRequest(sim, 'GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dweb')).json<{
      items: Array<{ spec: Record<string, unknown> }>;
    }>();
    expect(rs.items.map((i) => Object.keys(i.spec).sort())).toEqual(rs.items.map(() => ['replicas', 'selector', 'template']));
  }, 120_000);

  it('scheduler events have the events.k8s.io shape (eventlist_pod_crashy.json); get events still prints them', async () => {
    await k.ok(['run', 'sched', '--image=nginx:1.25']);
    type CoreEvent = Record<string, unknown> & { reason: string; involvedObject: { name: string } };
    const scheduled = await eventually(async () => {
      const list = (await simRequest(sim, 'GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dsched')).json<{ items: CoreEvent[] }>();
      return list.items.find((e) => e.reason === 'Scheduled');
    });
    const { metadata: _m, involvedObject: _i, ...rest } = scheduled;
    expect(rest).toEqual({
      reason: 'Scheduled',
      message: 'Successfully assigned default/sched to sim-node-1',
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type: 'Normal',
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      action: 'Binding',
      reportingComponent: 'default-scheduler',
      reportingInstance: expect.stringMatching(/^default-scheduler-/),
    });
    const pulled = await eventually(async () => {
      const list = (await simRequest(sim, 'GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dsched')).json<{ items: CoreEvent[] }>();
      return list.items.find((e) => e.reason === 'Pulled');
    });
    expect(pulled).toMatchObject({ source: { component: 'kubelet', host: 'sim-node-1' }, count: 1, eventTime: null, reportingComponent: 'kubelet', reportingInstance: 'sim-node-1' });
    const table = await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=sched']);
    expect(table).toMatch(/^\d+s\s+Normal\s+Scheduled\s+pod\/sched\s+Successfully assigned default\/sched to sim-node-1$/m);
    const described = await k.ok(['describe', 'pod', 'sched']);
    expect(described).toMatch(/Normal\s+Scheduled\s+\d+s\s+default-scheduler\s+Successfully assigned default\/sched to sim-node-1/);
  }, 60_000);

  it('unknown fields are dropped with a warning under Warn and by default (201_fieldValidation_warn_unknown_field.json)', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warn-x' }, dataa: { a: 'b' } };
    const dry = await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn&dryRun=All', { body });
    expect(dry.status).toBe(201);
    expect(dry.headers.warning).toBe('299 - "unknown field \\"dataa\\""');
    expect(Object.keys(dry.json<Record<string, unknown>>())).toEqual(['kind', 'apiVersion', 'metadata']);

    const plain = await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps', { body: { ...body, metadata: { name: 'dflt', foo: 1 }, data: { k: 'v' } } });
    expect(plain.status).toBe(201);
    expect(plain.headers.warning).toContain('unknown field \\"metadata.foo\\"');
    const stored = (await simRequest(sim, 'GET', '/api/v1/namespaces/default/configmaps/dflt')).json<Record<string, unknown> & { metadata: Record<string, unknown> }>();
    expect(stored).not.toHaveProperty('dataa');
    expect(stored.metadata).not.toHaveProperty('foo');
    expect(stored.data).toEqual({ k: 'v' });

    const ignored = await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Ignore', { body: { ...body, metadata: { name: 'ign' } } });
    expect([ignored.status, ignored.headers.warning, 'dataa' in ignored.json<object>()]).toEqual([201, undefined, false]);

    // A typo in a container is dropped from the stored pod template, as the real decoder does.
    await k.ok(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25.4","imagee":"x"}]}}}}']);
    const template = await k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0]}']);
    expect(JSON.parse(template)).not.toHaveProperty('imagee');
  });

  it('truncated and malformed JSON get encoding/json\'s wording (400_bad_json.json)', async () => {
    const truncated = await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps', { rawBody: '{"apiVersion":"v1","kind":"ConfigMap",' });
    expect([truncated.status, truncated.json()]).toEqual([
      400,
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion":"v1","kind":"Con ...)',
        reason: 'BadRequest',
        code: 400,
      },
    ]);
    const bad = await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps', { rawBody: '{"a" 1}' });
    expect(bad.json<{ message: string }>().message).toContain('json parse error: invalid character \'1\' after object key');
  });

  it('each node gets the node controller\'s RegisteredNode event (get-events-sorted.txt)', async () => {
    const out = await eventually(async () => {
      const text = await k.ok(['get', 'events', '--field-selector', 'reason=RegisteredNode']);
      return text.includes('node/sim-node-1') ? text : undefined;
    });
    expect(out).toMatch(/^\d+s\s+Normal\s+RegisteredNode\s+node\/sim-node-1\s+Node sim-node-1 event: Registered Node sim-node-1 in Controller$/m);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(await k.ok(['describe', 'node', 'sim-node-1'])).toMatch(/Normal\s+RegisteredNode\s+\S+\s+node-controller\s+Node sim-node-1 event: Registered Node sim-node-1 in Controller/);
  });

  it('a changed minReadySeconds reaches the new ReplicaSet (getNewReplicaSet), and 0 is omitted again', async () => {
    const rsMinReady = async () => {
      const list = (await simRequest(sim, 'GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dweb')).json<{
        items: Array<{ spec: { replicas: number; minReadySeconds?: number } }>;
      }>();
      return list.items.filter((i) => i.spec.replicas > 0).map((i) => i.spec.minReadySeconds);
    };
    await k.ok(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"minReadySeconds":7}}']);
    await eventually(async () => JSON.stringify(await rsMinReady()) === '[7]');
    await k.ok(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"minReadySeconds":0}}']);
    await eventually(async () => JSON.stringify(await rsMinReady()) === '[null]');
  });

  it('kubectl explain reads schemas from /openapi/v3 (explain.txt)', async () => {
    const out = await k.ok(['explain', 'deployment.spec.replicas']);
    expect(out.split('\n').map((l) => l.trimEnd())).toEqual([
      'GROUP:      apps',
      'KIND:       Deployment',
      'VERSION:    v1',
      '',
      'FIELD: replicas <integer>',
      '',
      '',
      'DESCRIPTION:',
      '    Number of desired pods. This is a pointer to distinguish between explicit',
      '    zero and not specified. Defaults to 1.',
      '',
      '',
    ]);
    const pod = await k.ok(['explain', 'pod.spec.containers']);
    expect(pod).toMatch(/^FIELD: containers <\[\]Container>$/m);
    expect(pod).toMatch(/^ {2}image\t<string>$/m);
    // Strategic merge patches still come from kubectl's built-in types: apply merges containers by name.
    await k.ok(['patch', 'deployment', 'web', '--type=strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"MODE","value":"blue"}]}]}}}}']);
    await k.ok(['apply', '-f', '-'], { input: web(3, 'nginx:1.26') });
    const container = JSON.parse(await k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0]}'])) as Record<string, unknown>;
    expect(container).toMatchObject({ name: 'nginx', image: 'nginx:1.26', env: [{ name: 'MODE', value: 'blue' }] });
  });

  it('health endpoints answer like the API server: ok, the per-check list with ?verbose, single checks', async () => {
    expect(await k.ok(['get', '--raw', '/readyz'])).toBe('ok');
    const verbose = await k.ok(['get', '--raw', '/readyz?verbose']);
    expect(verbose.split('\n')[0]).toBe('[+]ping ok');
    expect(verbose).toMatch(/^\[\+\]etcd ok$/m);
    expect(verbose.trim().split('\n').pop()).toBe('readyz check passed');
    expect((await k.ok(['get', '--raw', '/livez?verbose'])).trim().split('\n').pop()).toBe('livez check passed');
    expect(await k.ok(['get', '--raw', '/livez/ping'])).toBe('ok');
    expect((await k.run(['get', '--raw', '/readyz/nope'])).exitCode).toBe(1);
  });

  it('kubectl apply of an EndpointSlice and a StorageClass passes strict field validation', async () => {
    const manifest = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: manual, labels: {kubernetes.io/service-name: manual}}
addressType: IPv4
ports: [{name: http, port: 80, protocol: TCP}]
endpoints: [{addresses: ["10.1.2.3"], conditions: {ready: true}}]
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
`;
    const out = await k.ok(['apply', '-f', '-'], { input: manifest });
    expect(out.trim().split('\n')).toEqual(['endpointslice.discovery.k8s.io/manual created', 'storageclass.storage.k8s.io/fast created']);
    expect(await k.ok(['get', 'endpointslice', 'manual', '-o', 'jsonpath={.endpoints[0].addresses[0]}'])).toBe('10.1.2.3');
  });

  it('a dead kubelet: logs answer the 500 (500_pod_logs_no_kubelet.json), delete --timeout times out (delete-pod-wait-timeout.txt)', async () => {
    await k.ok(['run', 'victim', '--image=nginx:1.25', '--annotations=sim.oncall-agent.dev/log.victim=hello']);
    await eventually(async () => (await k.ok(['get', 'pod', 'victim', '-o', 'jsonpath={.status.phase}'])) === 'Running');
    expect((await k.ok(['logs', 'victim'])).trim()).toBe('hello');
    await k.ok(['annotate', 'node', 'sim-node-1', 'sim.oncall-agent.dev/heartbeat=stop']);
    try {
      const logs = await k.run(['logs', 'victim']);
      expect([logs.exitCode, logs.stderr.trim()]).toEqual([
        1,
        'Error from server: Get "https://sim-node-1:10250/containerLogs/default/victim/victim": dial tcp 127.0.0.1:10250: connect: connection refused',
      ]);
      const raw = await simRequest(sim, 'GET', '/api/v1/namespaces/default/pods/victim/log?container=victim', { accept: 'application/json, */*' });
      expect(raw.status).toBe(500);
      expect(Object.keys(raw.json<object>())).toEqual(['kind', 'apiVersion', 'metadata', 'status', 'message', 'code']);
      const deleted = await k.run(['delete', 'pod', 'victim', '--wait=true', '--timeout=3s'], { timeoutMs: 30_000 });
      // Under load client-go may log a watch-deadline line first; the last line is kubectl's verdict.
      expect([deleted.exitCode, deleted.stdout.trim(), deleted.stderr.trim().split('\n').pop()]).toEqual([
        1,
        'pod "victim" deleted',
        'error: timed out waiting for the condition on pods/victim',
      ]);
    } finally {
      await k.ok(['annotate', 'node', 'sim-node-1', 'sim.oncall-agent.dev/heartbeat-']);
    }
    await eventually(async () => (await k.run(['get', 'pod', 'victim'])).exitCode === 1, 30_000);
  }, 90_000);
});
