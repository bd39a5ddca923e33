import { describe, expect, it } from 'vitest';
import { planMemoryRaise, findOomKill } from '../../../backend/src/diagnose/runbook/oom-rule.js';
import { lastNonZeroReplicas } from '../../../backend/src/diagnose/runbook/replicas-history.js';
import { analyzeRunbook } from '../../../backend/src/diagnose/runbook/analyze-runbook.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';

const deployment = (limits?: Record<string, string>, requests?: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject => ({
  metadata: { name: 'web', namespace: 'shop' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'app', resources: { limits, requests } }] } } },
  ...extra,
});

describe('planMemoryRaise', () => {
  it.each([
    ['doubles the limit', { memory: '256Mi' }, 8192, { ok: true, args: ['--limits=memory=512Mi'] }],
    ['caps at RUNBOOK_MEMORY_LIMIT_CAP_MI', { memory: '6Gi' }, 8192, { ok: true, args: ['--limits=memory=8192Mi'] }],
    ['escalates at the cap', { memory: '8Gi' }, 8192, { ok: false }],
    ['escalates with no limit', undefined, 8192, { ok: false }],
  ])('%s', (_name, limits, cap, expected) => {
    expect(planMemoryRaise(deployment(limits as Record<string, string> | undefined, { memory: '64Mi' }), 'app', cap)).toMatchObject(expected);
  });

  it('escalates for a container that is not in the template', () => {
    expect(planMemoryRaise(deployment({ memory: '1Gi' }), 'sidecar', 8192)).toMatchObject({ ok: false, reason: expect.stringMatching(/sidecar/) });
  });
});

describe('findOomKill', () => {
  it('finds the most recent OOM kill from lastState or state', () => {
    const pod = (name: string, container: string, at: string, where: 'lastState' | 'state'): KubeObject => ({
      metadata: { name },
      status: { containerStatuses: [{ name: container, [where]: { terminated: { reason: 'OOMKilled', finishedAt: at } } }] },
    });
    expect(findOomKill([pod('a', 'app', '2026-01-01T00:00:00Z', 'lastState'), pod('b', 'worker', '2026-01-01T00:05:00Z', 'state')], Date.parse('2026-01-01T00:10:00Z'))).toEqual({ pod: 'b', container: 'worker' });
    expect(findOomKill([{ metadata: { name: 'c' }, status: { containerStatuses: [{ name: 'app', lastState: { terminated: { reason: 'Error' } } }] } }])).toBeUndefined();
  });
});

describe('lastNonZeroReplicas', () => {
  const rev = (revision: number, desiredReplicas?: number) => ({ revision, desiredReplicas }) as never;
  it('prefers the last applied configuration, then desired-replicas, then 1', () => {
    const applied = deployment(undefined, undefined, {
      metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ spec: { replicas: 4 } }) } },
    });
    expect(lastNonZeroReplicas(applied, { history: [rev(2, 3)] })).toMatchObject({ count: 4 });
    expect(lastNonZeroReplicas(deployment(), { history: [rev(2, 0), rev(1, 5)] })).toMatchObject({ count: 5 });
    expect(lastNonZeroReplicas(deployment(), { history: [] })).toMatchObject({ count: 1 });
  });
});

describe('analyzeRunbook', () => {
  const settings = { memoryLimitCapMi: 8192, noCrashLoopWindowSeconds: 30 };
  it('escalates when no Deployment backs the target', () => {
    const p = analyzeRunbook({ target: { namespace: 'shop', kind: 'Pod', name: 'lonely' }, history: [], pods: [], unhealthyEvents: [] }, settings);
    expect(p).toMatchObject({ escalate: { required: true }, actions: [] });
  });
  it('escalates a zero-replica deployment that no Service needs', () => {
    const d = deployment();
    d.spec.replicas = 0;
    const p = analyzeRunbook({ target: { namespace: 'shop', kind: 'Deployment', name: 'web' }, deployment: d, history: [], pods: [], unhealthyEvents: [] }, settings);
    expect(p).toMatchObject({ escalate: { required: true }, actions: [] });
  });
  it('escalates a healthy workload: nothing to fix', () => {
    const p = analyzeRunbook({ target: { namespace: 'shop', kind: 'Deployment', name: 'web' }, deployment: deployment(), history: [], pods: [], unhealthyEvents: [] }, settings);
    expect(p).toMatchObject({ escalate: { required: true }, actions: [] });
  });
});

describe('analyzeRunbook: crash after a completed rollout', () => {
  const settings = { memoryLimitCapMi: 8192, noCrashLoopWindowSeconds: 30 };
  const revision = (revision: number, health: 'healthy' | 'unhealthy' | 'scaled-down', podReasons: string[] = []) => ({
    revision,
    replicaSet: `web-${revision}`,
    images: ['nginx:1.27'],
    resources: {},
    replicas: health === 'scaled-down' ? 0 : 2,
    readyReplicas: health === 'healthy' ? 2 : 0,
    pods: health === 'scaled-down' ? 0 : 2,
    unhealthyPods: podReasons.length ? 2 : 0,
    podReasons,
    health,
  });
  const facts = (previous: ReturnType<typeof revision>) => ({
    target: { namespace: 'shop', kind: 'Deployment' as const, name: 'web' },
    deployment: deployment(),
    history: [revision(2, 'unhealthy', ['CrashLoopBackOff']), previous],
    pods: [],
    unhealthyEvents: [],
  });

  it('rolls back with high confidence when the previous revision is still serving', () => {
    const p = analyzeRunbook(facts(revision(1, 'healthy')), settings);
    expect(p.actions.map((a) => [a.command, a.confidence])).toEqual([['kubectl rollout undo deployment/web -n shop', 0.9]]);
  });

  it('proposes the undo below the YOLO bar when the previous revision is scaled down (its health is not observable)', () => {
    const p = analyzeRunbook(facts(revision(1, 'scaled-down')), settings);
    expect(p.escalate.required).toBe(false);
    expect(p.actions.map((a) => [a.command, a.confidence])).toEqual([['kubectl rollout undo deployment/web -n shop', 0.75]]);
    expect(p.evidence.map((e) => e.fact).join('\n')).toMatch(/scaled down to 0/);
  });

  it('escalates when the previous revision was unhealthy too', () => {
    const p = analyzeRunbook(facts(revision(1, 'unhealthy', ['CrashLoopBackOff'])), settings);
    expect(p).toMatchObject({ escalate: { required: true }, actions: [] });
  });
});
