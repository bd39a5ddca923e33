// Every write verb the agent may run, on kube-sim with the real kubectl: a postcondition that cannot hold forces the
// rollback, and the object's spec, labels and annotations must be back to the snapshot (status and bookkeeping aside).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import type { Postcondition, RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { createHarness, eventually, type Harness } from './execute-harness.js';

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSim({ speed: 40, nodes: 2 });
});
afterAll(async () => {
  await sim?.stop();
});

const env = { EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', TARGET_COOLDOWN_SECONDS: '0', CLUSTER_RATE_LIMIT: '100', VERIFY_DEADLINE_SECONDS: '2' };

/** Annotations the controllers and kubectl keep for themselves: not part of what the agent changed. */
const BOOKKEEPING = ['deployment.kubernetes.io/revision'];

/** What a rollback must restore: spec, labels and annotations (status, resourceVersion, revision aside). */
function comparable(json: string): unknown {
  const o = JSON.parse(json) as { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };
  const annotations = Object.fromEntries(Object.entries(o.metadata.annotations ?? {}).filter(([k]) => !BOOKKEEPING.includes(k)));
  return { labels: o.metadata.labels ?? {}, annotations, spec: o.spec };
}

async function setUp(h: Harness, ns: string): Promise<void> {
  await h.kubectl(['create', 'namespace', ns]);
  await h.kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns, labels: { app: 'web', team: 'a' }, annotations: { note: 'before' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25', resources: { limits: { memory: '128Mi' } } }] } },
      },
    }),
  );
  await eventually(async () => evaluateRolloutComplete(JSON.parse(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']))).ok, 'the first rollout');
}

function proposal(id: string, command: string, postconditions: Postcondition[]): RemediationProposal {
  return {
    incidentId: id,
    analyzer: 'runbook',
    rootCause: 'test',
    confidence: 0.95,
    evidence: [],
    escalate: { required: false },
    actions: [{ command, description: 'test action', confidence: 0.95, expectedEffect: 'healthy', postconditions }],
  };
}

// Each case: the write (with NS for the namespace). The postcondition asks for 50 ready replicas: it cannot hold.
const cases: Array<[string, string]> = [
  ['scale', 'kubectl scale deployment/web -n NS --replicas=3'],
  ['set resources', 'kubectl set resources deployment/web -n NS -c app --limits=memory=512Mi'],
  ['set image', 'kubectl set image deployment/web -n NS app=nginx:1.26'],
  ['rollout restart', 'kubectl rollout restart deployment/web -n NS'],
  ['patch strategic (template)', `kubectl patch deployment web -n NS -p '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}}'`],
  ['patch merge (a spec field outside the template)', `kubectl patch deployment web -n NS --type=merge -p '{"spec":{"minReadySeconds":7,"revisionHistoryLimit":3}}'`],
  ['patch json (replicas and a label)', `kubectl patch deployment web -n NS --type=json -p '[{"op":"replace","path":"/spec/replicas","value":4},{"op":"add","path":"/metadata/labels/extra","value":"x"}]'`],
  ['label: a new key and an overwritten one', 'kubectl label deployment web -n NS fixed=yes team=b --overwrite'],
  ['label: removing a key', 'kubectl label deployment web -n NS team-'],
  ['annotate: a new key and an overwritten one', 'kubectl annotate deployment web -n NS fixed-by=agent note=after --overwrite'],
  ['rollout pause', 'kubectl rollout pause deployment/web -n NS'],
];

describe('rollback restores the exact prior state, for every write verb', () => {
  it.each(cases)('%s', async (name, template) => {
    const h = createHarness(sim.kubeconfigPath, env);
    const ns = `rb-${name.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '').slice(0, 40)}`;
    await setUp(h, ns);
    const get = () => h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']);
    const before = comparable(await get());
    const id = `RB-${ns}`;
    const command = template.replace('NS', ns);
    const report = await executeProposal(h.deps, { id, title: id, details: {}, source: 'test-yolo' }, proposal(id, command, [{ type: 'replicasAtLeast', namespace: ns, deployment: 'web', n: 50 }]));
    const [outcome] = report.outcomes;
    expect(outcome.execution?.exitCode, outcome.detail).toBe(0);
    expect(outcome.verdict?.status).toBe('failed');
    expect(outcome.rollback?.restored, outcome.rollback?.detail).toBe(true);
    expect(outcome.status).toBe('rolled-back');
    expect(report.escalate).toBe(true);
    expect(comparable(await get())).toEqual(before);
    // Every rollback command is scored and audited.
    const steps = h.auditEvents().filter((e) => e.type === 'rollback' && typeof e.data.command === 'string');
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(['low', 'medium', 'high']).toContain(step.data.level);
  });
});

describe('rollback of an undo, and of node writes', () => {
  it.each([
    ['rollout undo', 'kubectl rollout undo deployment/web -n NS'],
    ['rollout undo --to-revision', 'kubectl rollout undo deployment/web -n NS --to-revision=1'],
  ])('%s: the template of the revision before the write comes back', async (name, template) => {
    const h = createHarness(sim.kubeconfigPath, env);
    const ns = `rb-${name.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}`;
    await setUp(h, ns);
    await h.kubectl(['set', 'image', 'deployment/web', '-n', ns, 'app=nginx:1.26']);
    await eventually(async () => evaluateRolloutComplete(JSON.parse(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']))).ok, 'the second rollout');
    const get = () => h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']);
    const before = comparable(await get());
    const id = `RB-${ns}`;
    const report = await executeProposal(h.deps, { id, title: id, details: {}, source: 'test-yolo' }, proposal(id, template.replace('NS', ns), [{ type: 'replicasAtLeast', namespace: ns, deployment: 'web', n: 50 }]));
    expect(report.outcomes[0].status, report.outcomes[0].detail).toBe('rolled-back');
    expect(comparable(await get())).toEqual(before);
    expect(JSON.parse(await get()).spec.template.spec.containers[0].image).toBe('nginx:1.26');
  });

  it.each([
    ['label', 'kubectl label node NODE rb-role=edge'],
    ['annotate', 'kubectl annotate node NODE rb-note=x'],
    ['taint', 'kubectl taint node NODE rb-dedicated=db:NoSchedule'],
    ['cordon', 'kubectl cordon NODE'],
    ['drain', 'kubectl drain NODE --ignore-daemonsets --delete-emptydir-data --timeout=20s'],
  ])('node %s', async (_name, template) => {
    const h = createHarness(sim.kubeconfigPath, { ...env, KUBECTL_TIMEOUT_MS: '60000' });
    const node = (await h.kubectl(['get', 'nodes', '-o', 'name'])).split('\n')[1].replace('node/', '').trim();
    const get = () => h.kubectl(['get', 'node', node, '-o', 'json']);
    const before = comparable(await get());
    const id = `RB-node-${_name}`;
    // nodeSchedulable on the other node holds; a deployment wanting 50 ready replicas does not: the rollback runs.
    const report = await executeProposal(h.deps, { id, title: id, details: {}, source: 'test-yolo' }, proposal(id, template.replace('NODE', node), [{ type: 'replicasAtLeast', namespace: 'default', deployment: 'nothing-here', n: 50 }]));
    const [outcome] = report.outcomes;
    expect(outcome.execution?.exitCode, outcome.detail).toBe(0);
    expect(outcome.status, outcome.detail).toBe('rolled-back');
    expect(comparable(await get())).toEqual(before);
  });
});

describe('a write that names several objects', () => {
  it('snapshots each one before the write and restores each one', async () => {
    const h = createHarness(sim.kubeconfigPath, env);
    const ns = 'rb-multi';
    await setUp(h, ns);
    await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: ns }, spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } } }));
    const get = (name: string) => h.kubectl(['get', 'deployment', name, '-n', ns, '-o', 'json']);
    const before = [comparable(await get('web')), comparable(await get('api'))];
    const report = await executeProposal(h.deps, { id: 'RB-MULTI', title: 'multi', details: {}, source: 'test-yolo' }, proposal('RB-MULTI', `kubectl scale deployment web api -n ${ns} --replicas=4`, [{ type: 'replicasAtLeast', namespace: ns, deployment: 'web', n: 50 }]));
    const [outcome] = report.outcomes;
    expect(outcome.execution?.exitCode, outcome.detail).toBe(0);
    expect(outcome.status, outcome.detail).toBe('rolled-back');
    expect(outcome.rollback?.steps.map((s) => s.command)).toEqual([`kubectl scale deployment/web -n ${ns} --replicas=2`, `kubectl scale deployment/api -n ${ns} --replicas=1`]);
    expect([comparable(await get('web')), comparable(await get('api'))]).toEqual(before);
  });
});

describe('other kinds', () => {
  const objects = (ns: string) => [
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: ns }, spec: { replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'redis:7' }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: ns }, spec: { selector: { app: 'db' }, ports: [{ port: 6379 }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: ns }, data: { mode: 'safe' } },
  ];
  it.each([
    ['statefulset set image', 'statefulset', 'db', 'kubectl set image statefulset/db -n NS db=redis:8'],
    ['statefulset probe patch', 'statefulset', 'db', `kubectl patch statefulset db -n NS -p '{"spec":{"template":{"spec":{"containers":[{"name":"db","readinessProbe":{"exec":{"command":["false"]}}}]}}}}'`],
    ['service selector patch', 'service', 'db', `kubectl patch service db -n NS --type=merge -p '{"spec":{"selector":{"app":"other"}}}'`],
    ['configmap data patch', 'configmap', 'cfg', `kubectl patch configmap cfg -n NS --type=merge -p '{"data":{"mode":"fast","extra":"1"}}'`],
  ])('%s', async (name, kind, objectName, template) => {
    const h = createHarness(sim.kubeconfigPath, env);
    const ns = `rb-${name.replace(/[^a-z]+/g, '-')}`;
    await h.kubectl(['create', 'namespace', ns]);
    for (const o of objects(ns)) await h.kubectl(['apply', '-f', '-'], JSON.stringify(o));
    const get = async () => {
      const o = JSON.parse(await h.kubectl(['get', kind, objectName, '-n', ns, '-o', 'json'])) as { data?: unknown };
      return { ...(comparable(JSON.stringify(o)) as object), data: o.data };
    };
    const before = await get();
    const id = `RB-${ns}`;
    const report = await executeProposal(h.deps, { id, title: id, details: {}, source: 'test-yolo' }, proposal(id, template.replace('NS', ns), [{ type: 'replicasAtLeast', namespace: ns, deployment: 'nothing-here', n: 50 }]));
    const [outcome] = report.outcomes;
    expect(outcome.execution?.exitCode, outcome.detail).toBe(0);
    expect(outcome.status, outcome.detail).toBe('rolled-back');
    expect(await get()).toEqual(before);
  });
});

describe('the snapshot revision is no longer kept', () => {
  it('revisionHistoryLimit 0: the undo cannot find the revision, the snapshot template is patched back instead', async () => {
    // A deadline generous enough for the new revision to finish rolling out (and the old ReplicaSet to go) under load.
    const h = createHarness(sim.kubeconfigPath, { ...env, VERIFY_DEADLINE_SECONDS: '12' });
    const ns = 'rb-no-history';
    await setUp(h, ns);
    await h.kubectl(['patch', 'deployment', 'web', '-n', ns, '--type=merge', '-p', '{"spec":{"revisionHistoryLimit":0}}']);
    const get = () => h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']);
    const before = comparable(await get());
    // Ready replicas of the new revision: the old ReplicaSet is scaled down and, with no history kept, deleted.
    const report = await executeProposal(h.deps, { id: 'RB-NOHIST', title: 'x', details: {}, source: 'test-yolo' }, proposal('RB-NOHIST', `kubectl set image deployment/web -n ${ns} app=nginx:1.26`, [
      { type: 'rolloutComplete', namespace: ns, deployment: 'web' },
      { type: 'replicasAtLeast', namespace: ns, deployment: 'web', n: 50 },
    ]));
    const [outcome] = report.outcomes;
    expect(outcome.status, outcome.detail).toBe('rolled-back');
    const commands = outcome.rollback?.steps.map((s) => `${s.command} → ${s.exitCode}`) ?? [];
    expect(commands[0]).toMatch(/^kubectl rollout undo deployment\/web -n rb-no-history --to-revision=1 → [1-9]/);
    expect(commands[1]).toMatch(/^kubectl patch deployment\/web -n rb-no-history --type=merge -p .* → 0$/);
    expect(comparable(await get())).toEqual(before);
  });
});

describe('create', () => {
  it.each([
    ['configmap', 'kubectl create configmap made-by-agent -n NS --from-literal=mode=safe', 'configmap'],
    ['deployment', 'kubectl create deployment made-by-agent -n NS --image=nginx:1.25', 'deployment'],
  ])('create %s: the object the action created is deleted again', async (name, template, kind) => {
    const h = createHarness(sim.kubeconfigPath, env);
    const ns = `rb-create-${name}`;
    await h.kubectl(['create', 'namespace', ns]);
    const id = `RB-${ns}`;
    const report = await executeProposal(h.deps, { id, title: id, details: {}, source: 'test-yolo' }, proposal(id, template.replace('NS', ns), [{ type: 'replicasAtLeast', namespace: ns, deployment: 'nothing-here', n: 50 }]));
    const [outcome] = report.outcomes;
    expect(outcome.execution?.exitCode, outcome.detail).toBe(0);
    expect(outcome.status, outcome.detail).toBe('rolled-back');
    expect(outcome.rollback?.steps.map((s) => s.command)).toEqual([expect.stringMatching(new RegExp(`^kubectl delete ${kind}s?/made-by-agent -n ${ns}$`))]);
    await eventually(async () => !(await h.kubectl(['get', kind, '-n', ns, '-o', 'name'])).includes('made-by-agent'), `the ${kind} to be gone`);
  });
});
