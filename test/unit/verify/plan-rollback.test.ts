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
