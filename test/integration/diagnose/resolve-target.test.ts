// Target resolution against kube-sim (seeded state, real client-node reader over HTTPS): every alert shape must land
// on the right kind/namespace/name, confirmed in the cluster, and a target that does not exist must never become a
// guess at another workload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../backend/src/diagnose/resolve-target.js';
import { diagnoseIncident } from '../../../backend/src/diagnose/index.js';
import { gatherContext } from '../../../backend/src/diagnose/gather-context.js';
import type { SimObject } from '../../../chaos/sim/store/types.js';
import { seedNode, seedWorkload } from '../../helpers/seed-workload.js';
import { baseDeps, incident, startHarness, type Harness } from './diagnose-harness.js';

let h: Harness;

function put(resource: string, object: Record<string, unknown>): SimObject {
  return h.sim.store.create(resource, object as unknown as SimObject, { skipAdmission: true });
}

beforeAll(async () => {
  h = await startHarness();
  seedWorkload(h.sim.store, { namespace: 'shop', name: 'web', revisions: [{ image: 'web:1', replicas: 1, podState: 'ready' }] });
  seedWorkload(h.sim.store, { namespace: 'shop2', name: 'web', revisions: [{ image: 'web:1', replicas: 1, podState: 'ready' }] });
  seedWorkload(h.sim.store, { namespace: 'shop', name: 'only-here', revisions: [{ image: 'x:1', replicas: 1, podState: 'ready' }] });
  put('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-svc', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  const sts = put('statefulsets', {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'pg', namespace: 'shop' },
    spec: { replicas: 1, serviceName: 'pg', selector: { matchLabels: { app: 'pg' } }, template: { metadata: { labels: { app: 'pg' } }, spec: { containers: [{ name: 'pg', image: 'postgres:16' }] } } },
  });
  put('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pg-0', namespace: 'shop', labels: { app: 'pg' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'pg', uid: sts.metadata.uid, controller: true }] },
    spec: { containers: [{ name: 'pg', image: 'postgres:16' }] },
  });
  put('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug-shell', namespace: 'shop', labels: { run: 'debug' } }, spec: { containers: [{ name: 'sh', image: 'busybox' }] } });
});
afterAll(async () => {
  await h?.stop();
});

const FIRING = (ns: string, pod: string) => `Labels:\n - alertname = KubePodCrashLooping\n - container = app\n - namespace = ${ns}\n - pod = ${pod}\nAnnotations:\n - summary = Pod is crash looping.\n`;

type Row = [string, string, Record<string, unknown>, Record<string, unknown>];

const rows: Row[] = [
  ['Events v2 labels: pod → its Deployment (ReplicaSet hash)', 'KubePodCrashLooping', { namespace: 'shop', pod: 'web-r1x3-p0', container: 'app' }, { namespace: 'shop', kind: 'Deployment', name: 'web' }],
  ['Alertmanager firing text only', '[FIRING:1] KubePodCrashLooping (app shop web-r1x3-p0)', { firing: FIRING('shop', 'web-r1x3-p0'), num_firing: '1' }, { namespace: 'shop', kind: 'Deployment', name: 'web' }],
  ['V3 title only: "[FIRING:1] KubePodCrashLooping shop/web-…"', '[FIRING:1] KubePodCrashLooping shop/web-r1x3-p0', {}, { namespace: 'shop', kind: 'Deployment', name: 'web' }],
  ['V3 title only: "Pod shop/web-… is crash looping"', 'Pod shop2/web-r1x3-p0 is crash looping', {}, { namespace: 'shop2', kind: 'Deployment', name: 'web' }],
  ['prose: "deployment web in namespace shop has 0 available replicas"', 'deployment web in namespace shop has 0 available replicas', {}, { namespace: 'shop', kind: 'Deployment', name: 'web' }],
  ['Datadog tags', 'Monitor triggered', { tags: ['kube_namespace:shop2', 'kube_deployment:web'] }, { namespace: 'shop2', kind: 'Deployment', name: 'web' }],
  ['a pod that is gone: its ReplicaSet hash maps back to the Deployment', 'KubePodNotReady', { namespace: 'shop', pod: 'web-r1x3-zx9q2' }, { namespace: 'shop', kind: 'Deployment', name: 'web' }],
  ['a StatefulSet pod resolves to the StatefulSet', 'KubePodCrashLooping', { namespace: 'shop', pod: 'pg-0' }, { namespace: 'shop', kind: 'StatefulSet', name: 'pg', selector: 'app=pg' }],
  ['a pod with no controller stays a Pod', 'KubePodNotReady', { kubernetes_namespace: 'shop', kubernetes_pod_name: 'debug-shell' }, { namespace: 'shop', kind: 'Pod', name: 'debug-shell' }],
  ['TargetDown on a service', 'TargetDown', { namespace: 'shop', service: 'web-svc', job: 'web-svc' }, { namespace: 'shop', kind: 'Service', name: 'web-svc' }],
  ['a pod named with no namespace, unique in the cluster', 'KubePodNotReady', { pod: 'pg-0' }, { namespace: 'shop', kind: 'StatefulSet', name: 'pg' }],
  ['a service named with no namespace, unique in the cluster', 'service/web-svc has no endpoints', {}, { namespace: 'shop', kind: 'Service', name: 'web-svc', selector: 'app=web' }],
  [
    'KubeDeploymentReplicasMismatch with the exporter pod/service labels attached: the deployment wins',
    'KubeDeploymentReplicasMismatch',
    { namespace: 'shop', deployment: 'web', pod: 'kube-state-metrics-6f7d8c9b5-abcde', container: 'kube-state-metrics', service: 'kube-state-metrics', job: 'kube-state-metrics' },
    { namespace: 'shop', kind: 'Deployment', name: 'web' },
  ],
  ['a unique bare deployment name', 'deployment/only-here unavailable', {}, { namespace: 'shop', kind: 'Deployment', name: 'only-here' }],
];

describe('resolveTarget on kube-sim', () => {
  it.each(rows)('%s', async (_name, title, details, expected) => {
    const r = await resolveTarget({ title, details }, h.reader);
    expect(r.target).toMatchObject(expected);
  });

  it('a named deployment that does not exist escalates clearly, never falling back to another workload in its namespace', async () => {
    const r = await resolveTarget({ title: 'KubeDeploymentReplicasMismatch', details: { namespace: 'shop', deployment: 'ghost' } }, h.reader);
    expect(r.target).toBeUndefined();
    expect(r.target === undefined && r.reason).toMatch(/deployment shop\/ghost not found/);

    const p = await diagnoseIncident(incident('deployment/ghost down', { namespace: 'shop' }), baseDeps(h.reader));
    expect(p.escalate.required).toBe(true);
    expect(p.actions).toEqual([]);
    expect(p.target).toBeUndefined();
    expect(p.escalate.reason).toMatch(/ghost/);
  });

  it('a name in several namespaces with no namespace given is ambiguous: escalate, naming the namespaces', async () => {
    const r = await resolveTarget({ title: 'deployment/web is down', details: {} }, h.reader);
    expect(r.target).toBeUndefined();
    expect(r.target === undefined && r.reason).toMatch(/several namespaces \(shop, shop2\)/);
  });

  it('a StatefulSet target whose pods show no known failure escalates with no action, naming the StatefulSet', async () => {
    const p = await diagnoseIncident(incident('KubePodCrashLooping', { namespace: 'shop', pod: 'pg-0' }), baseDeps(h.reader));
    expect(p.target).toMatchObject({ kind: 'StatefulSet', name: 'pg' });
    expect(p.escalate.required).toBe(true);
    expect(p.actions).toEqual([]);
    expect(p.escalate.reason).toMatch(/statefulset pg/);
    expect(p.escalate.reason).toMatch(/controlled by StatefulSet pg/);
  });
});

describe('context for a node alert', () => {
  it('gathers the node capacity and its events, not namespaced tools with an empty namespace', async () => {
    const node = 'worker-7';
    seedNode(h.sim.store, node);
    const r = await resolveTarget({ title: 'KubeNodeNotReady', details: { node } }, h.reader);
    expect(r.target).toMatchObject({ kind: 'Node', name: node });
    const context = await gatherContext(r.target!, { reader: h.reader });
    expect(context.sections.map((s) => s.tool)).toEqual(['check_node_capacity', 'get_events']);
    expect(context.text).not.toMatch(/invalid_input|must be a Kubernetes namespace/);
  });
});
