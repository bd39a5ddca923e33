import { describe, expect, it } from 'vitest';
import { planRollback } from '../../../backend/src/verify/plan-rollback.js';
import { formatCommandLine } from '../../../backend/src/verify/format-command-line.js';
import { assessCommand, argvFor } from '../../../backend/src/risk/score.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';

const deployment = (over: { image?: string; replicas?: number; revision?: string; paused?: boolean; memory?: string }): KubeObject => ({
  metadata: { name: 'web', namespace: 'shop', annotations: { 'deployment.kubernetes.io/revision': over.revision ?? '2' } },
  spec: {
    replicas: over.replicas ?? 3,
    paused: over.paused,
    template: { spec: { containers: [{ name: 'app', image: over.image ?? 'web:1', resources: { limits: { memory: over.memory ?? '256Mi' } } }] } },
  },
});
const withTemplate = (d: KubeObject, extra: Record<string, unknown>): KubeObject => ({ ...d, spec: { ...d.spec, template: { ...d.spec!.template, ...extra } } });
const withProbe = (d: KubeObject): KubeObject => {
  const copy = structuredClone(d);
  copy.spec!.template.spec.containers[0].readinessProbe = { httpGet: { path: '/', port: 80 } };
  return copy;
};
const node = (unschedulable: boolean): KubeObject => ({ metadata: { name: 'n1' }, spec: unschedulable ? { unschedulable: true } : {} });
const dep = { resource: 'deployments', name: 'web', namespace: 'shop' };

describe('planRollback', () => {
  it.each<[string, { resource: string; name: string; namespace?: string }, KubeObject | undefined, KubeObject | undefined, string[][]]>([
    ['image changed → undo to the snapshot revision', dep, deployment({ revision: '2' }), deployment({ image: 'web:2', revision: '3' }), [['rollout', 'undo', 'deployment/web', '-n', 'shop', '--to-revision=2']]],
    ['resources changed → undo', dep, deployment({}), deployment({ memory: '512Mi', revision: '3' }), [['rollout', 'undo', 'deployment/web', '-n', 'shop', '--to-revision=2']]],
    ['replicas changed → scale back', dep, deployment({ replicas: 3 }), deployment({ replicas: 0 }), [['scale', 'deployment/web', '-n', 'shop', '--replicas=3']]],
    ['both', dep, deployment({}), deployment({ image: 'x', replicas: 1 }), [['rollout', 'undo', 'deployment/web', '-n', 'shop', '--to-revision=2'], ['scale', 'deployment/web', '-n', 'shop', '--replicas=3']]],
    ['paused → resume', dep, deployment({}), deployment({ paused: true }), [['rollout', 'resume', 'deployment/web', '-n', 'shop']]],
    ['uncordoned node → cordon', { resource: 'nodes', name: 'n1' }, node(true), node(false), [['cordon', 'n1']]],
    ['cordoned node → uncordon', { resource: 'nodes', name: 'n1' }, node(false), node(true), [['uncordon', 'n1']]],
    ['nothing changed', dep, deployment({}), deployment({ revision: '2' }), []],
    // A revision that changed only the template's annotations or a probe is still a different template.
    ['template annotation changed → undo', dep, withTemplate(deployment({}), { metadata: { annotations: { 'sim.oncall-agent.dev/probe-fail.app': 'readiness' } } }), deployment({ revision: '3' }), [['rollout', 'undo', 'deployment/web', '-n', 'shop', '--to-revision=2']]],
    ['readiness probe changed → undo', dep, deployment({}), withProbe(deployment({ revision: '3' })), [['rollout', 'undo', 'deployment/web', '-n', 'shop', '--to-revision=2']]],
    ['only the pod-template-hash label differs → nothing', dep, withTemplate(deployment({}), { metadata: { labels: { 'pod-template-hash': 'abc' } } }), deployment({ revision: '2' }), []],
    ['did not exist before', dep, undefined, deployment({}), []],
    ['gone now', dep, deployment({}), undefined, []],
  ])('%s', (_name, target, before, current, commands) => {
    expect(planRollback(target, before, current).commands).toEqual(commands);
  });

  it('restores a statefulset template with a strategic patch that risk-scores back to the same argv', () => {
    const sts = (image: string): KubeObject => ({ metadata: { name: 'db', namespace: 'shop' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'db', image }] } } } });
    const plan = planRollback({ resource: 'statefulsets', name: 'db', namespace: 'shop' }, sts('db:1'), sts('db:2'));
    expect(plan.commands).toHaveLength(1);
    const line = formatCommandLine(['kubectl', ...plan.commands[0]]);
    const assessment = assessCommand(line, { protectedNamespaces: [], denyList: [] });
    expect(assessment.level).not.toBe('forbidden');
    expect(argvFor(assessment)).toEqual(plan.commands[0]);
  });
});

describe('formatCommandLine', () => {
  it.each([
    [['kubectl', 'get', 'pods', '-n', 'shop']],
    [['kubectl', 'patch', 'deployment/web', '-p', '{"spec":{"replicas":1}}']],
    [['kubectl', 'annotate', 'pod/x', "note=it's fine"]],
    [['kubectl', 'label', 'pod/x', 'a=b c; rm -rf /']],
  ])('round-trips through the risk tokenizer: %j', (argv) => {
    const assessment = assessCommand(formatCommandLine(argv), { protectedNamespaces: [], denyList: [] });
    expect(assessment.parsed?.args).toEqual(argv.slice(1));
  });
  it('refuses what it cannot quote safely', () => {
    expect(() => formatCommandLine(['kubectl', 'label', 'pod/x', `a='$(x)"`])).toThrow(/cannot quote/);
  });
});

describe('planRollback: labels, annotations, spec fields and data (one merge patch that scores back to the same argv)', () => {
  const obj = (metadata: Partial<KubeObject['metadata']>, spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): KubeObject =>
    ({ metadata: { name: 'web', namespace: 'shop', ...metadata }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'a' }] } }, ...spec }, ...extra }) as KubeObject;
  const scoresBack = (argv: string[]) => {
    const assessment = assessCommand(formatCommandLine(['kubectl', ...argv]), { protectedNamespaces: [], denyList: [] });
    expect(assessment.level).not.toBe('forbidden');
    expect(argvFor(assessment)).toEqual(argv);
  };
  it.each<[string, string, KubeObject, KubeObject, Record<string, unknown>]>([
    ['an added label is removed, an overwritten one restored', 'deployments', obj({ labels: { app: 'web', team: 'a' } }), obj({ labels: { app: 'web', team: 'b', fixed: 'yes' } }), { metadata: { labels: { team: 'a', fixed: null } } }],
    ['a removed label comes back', 'deployments', obj({ labels: { app: 'web', team: 'a' } }), obj({ labels: { app: 'web' } }), { metadata: { labels: { team: 'a' } } }],
    ['annotations, bookkeeping aside', 'deployments', obj({ annotations: { note: "it's été", 'deployment.kubernetes.io/revision': '1' } }), obj({ annotations: { note: 'x', by: 'agent', 'deployment.kubernetes.io/revision': '2' } }), { metadata: { annotations: { note: "it's été", by: null } } }],
    ['a spec field outside the template', 'deployments', obj({}, { minReadySeconds: 0, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }), obj({}, { minReadySeconds: 7, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }), { spec: { minReadySeconds: 0, strategy: { rollingUpdate: { maxUnavailable: null } } } }],
    ['configmap data', 'configmaps', obj({}, {}, { data: { a: '1' } }), obj({}, {}, { data: { a: '2', b: '3' } }), { data: { a: '1', b: null } }],
  ])('%s', (_name, resource, before, current, patch) => {
    const plan = planRollback({ resource, name: 'web', namespace: 'shop' }, before, current);
    expect(plan.commands).toHaveLength(1);
    const [argv] = plan.commands;
    expect(argv.slice(0, 5)).toEqual(['patch', `${resource === 'configmaps' ? 'configmap' : 'deployment'}/web`, '-n', 'shop', '--type=merge']);
    expect(JSON.parse(argv[6])).toEqual(patch);
    expect(argv[6]).not.toMatch(/[^\x20-\x7e]|'/);
    scoresBack(argv);
  });

  it('an undo comes before the metadata patch (the undo rewrites annotations)', () => {
    const before = obj({ labels: { team: 'a' }, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const current = obj({ labels: { team: 'b' }, annotations: { 'deployment.kubernetes.io/revision': '2' } }, { template: { spec: { containers: [{ name: 'app', image: 'b' }] } } });
    expect(planRollback(dep, before, current).commands.map((c) => c[0])).toEqual(['rollout', 'patch']);
  });

  it('node taints: the user taints come back, the controller-owned ones stay', () => {
    const n = (taints: unknown[]): KubeObject => ({ metadata: { name: 'n1' }, spec: { taints } });
    const plan = planRollback({ resource: 'nodes', name: 'n1' }, n([]), n([{ key: 'dedicated', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]));
    expect(plan.commands).toEqual([['patch', 'node/n1', '--type=merge', '-p', JSON.stringify({ spec: { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] } })]]);
    expect(JSON.parse(planRollback({ resource: "nodes", name: "n1" }, { metadata: { name: "n1" }, spec: {} }, n([{ key: "dedicated", effect: "NoSchedule" }])).commands[0][4])).toEqual({ spec: { taints: null } });
    scoresBack(plan.commands[0]);
  });

  it('a deleted pod has nothing to restore automatically (its controller recreates it): restored stays false upstream', () => {
    const pod: KubeObject = { metadata: { name: 'web-1', namespace: 'shop' }, spec: { containers: [] } };
    expect(planRollback({ resource: 'pods', name: 'web-1', namespace: 'shop' }, pod, undefined)).toMatchObject({ commands: [], detail: expect.stringMatching(/no longer exists/) });
  });
});

describe('planRollback: a paused deployment', () => {
  it('restores the template with a merge patch (kubectl cannot undo a paused deployment)', () => {
    const paused = (image: string): KubeObject => ({ metadata: { name: 'web', namespace: 'shop', annotations: { 'deployment.kubernetes.io/revision': '1' } }, spec: { replicas: 2, paused: true, template: { spec: { containers: [{ name: 'app', image }] } } } });
    const plan = planRollback(dep, paused('a'), paused('b'));
    expect(plan.commands).toHaveLength(1);
    expect(plan.commands[0].slice(0, 5)).toEqual(['patch', 'deployment/web', '-n', 'shop', '--type=merge']);
    expect(JSON.parse(plan.commands[0][6])).toEqual({ spec: { template: { spec: { containers: [{ name: 'app', image: 'a' }] } } } });
    const assessment = assessCommand(formatCommandLine(['kubectl', ...plan.commands[0]]), { protectedNamespaces: [], denyList: [] });
    expect(argvFor(assessment)).toEqual(plan.commands[0]);
  });
});

describe('planRollback: statefulset and daemonset templates', () => {
  it('a probe added to a statefulset counts, and the merge patch puts the containers back exactly', () => {
    const sts = (container: Record<string, unknown>): KubeObject => ({ metadata: { name: 'db', namespace: 'shop' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'db', image: 'db:1', ...container }] } } } });
    const plan = planRollback({ resource: 'statefulsets', name: 'db', namespace: 'shop' }, sts({}), sts({ readinessProbe: { exec: { command: ['false'] } } }));
    expect(plan.commands).toHaveLength(1);
    expect(plan.commands[0].slice(0, 5)).toEqual(['patch', 'statefulset/db', '-n', 'shop', '--type=merge']);
    expect(JSON.parse(plan.commands[0][6])).toEqual({ spec: { template: { spec: { containers: [{ name: 'db', image: 'db:1' }] } } } });
  });
});

describe('planRollback: fallbacks', () => {
  it('an undo carries the snapshot template as a merge patch to run if the revision is gone', () => {
    const plan = planRollback(dep, deployment({ revision: '2' }), deployment({ image: 'web:2', revision: '3' }));
    expect(plan.commands).toEqual([['rollout', 'undo', 'deployment/web', '-n', 'shop', '--to-revision=2']]);
    expect(plan.fallbacks?.[0]?.slice(0, 5)).toEqual(['patch', 'deployment/web', '-n', 'shop', '--type=merge']);
    expect(JSON.parse(plan.fallbacks![0]![6])).toEqual({ spec: { template: { spec: { containers: [{ name: 'app', image: 'web:1', resources: { limits: { memory: '256Mi' } } }] } } } });
  });
  it('a deployment with no revision yet gets the merge patch directly', () => {
    const noRevision = (image: string): KubeObject => ({ metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image }] } } } });
    expect(planRollback(dep, noRevision('a'), noRevision('b')).commands[0].slice(0, 5)).toEqual(['patch', 'deployment/web', '-n', 'shop', '--type=merge']);
  });
});

describe('planRollback: an object the action created', () => {
  const created: KubeObject = { metadata: { name: 'fix-job', namespace: 'shop' }, spec: {} };
  it('is deleted when the snapshot read found nothing', () => {
    expect(planRollback({ resource: 'jobs', name: 'fix-job', namespace: 'shop', absentBefore: true }, undefined, created).commands).toEqual([['delete', 'job/fix-job', '-n', 'shop']]);
  });
  it('is never deleted when there was no snapshot at all (a Secret is not read): no snapshot is not "absent"', () => {
    expect(planRollback({ resource: 'secrets', name: 'db', namespace: 'shop' }, undefined, created).commands).toEqual([]);
  });
});
