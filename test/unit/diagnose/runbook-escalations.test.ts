// Escalations must say what is actually wrong: a readiness probe failing with nothing to roll back to, a pod owned
// by a Job, a node alert. None of them may carry an action.
import { describe, expect, it } from 'vitest';
import { analyzeRunbook } from '../../../backend/src/diagnose/runbook/analyze-runbook.js';
import type { RunbookFacts } from '../../../backend/src/diagnose/runbook/gather-runbook-facts.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';

const settings = { memoryLimitCapMi: 1024, noCrashLoopWindowSeconds: 30 };
const longAgo = new Date(Date.now() - 600_000).toISOString();

const deployment: KubeObject = {
  metadata: { name: 'web', namespace: 'shop' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'app', readinessProbe: { httpGet: { path: '/', port: 80 } } }] } } },
};

const unreadyPod: KubeObject = {
  metadata: { name: 'web-1-a', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'r1', controller: true }] },
  status: { phase: 'Running', startTime: longAgo, containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { running: { startedAt: longAgo } } }] },
};

const readinessEvent: KubeObject = {
  metadata: { name: 'e1', namespace: 'shop' },
  reason: 'Unhealthy',
  count: 12,
  message: 'Readiness probe failed: HTTP probe failed with statuscode: 500',
  involvedObject: { kind: 'Pod', name: 'web-1-a' },
};

function revision(n: number, health: 'healthy' | 'unhealthy') {
  return { revision: n, replicaSet: `web-${n}`, images: ['app=nginx:1.25'], resources: {}, replicas: 1, readyReplicas: health === 'healthy' ? 1 : 0, pods: 1, unhealthyPods: health === 'healthy' ? 0 : 1, podReasons: [], health };
}

const facts = (over: Partial<RunbookFacts>): RunbookFacts => ({ target: { namespace: 'shop', kind: 'Deployment', name: 'web' }, history: [], pods: [], unhealthyEvents: [], ...over });

describe('runbook escalations', () => {
  it('a readiness probe failing on the first revision escalates with the probe failure as evidence', () => {
    const p = analyzeRunbook(facts({ deployment, history: [revision(1, 'unhealthy')], pods: [unreadyPod], unhealthyEvents: [readinessEvent] }), settings);
    expect(p.actions).toEqual([]);
    expect(p.escalate).toMatchObject({ required: true, reason: expect.stringMatching(/readiness probe of container app in deployment web fails.*no earlier healthy revision/) });
    expect(p.rootCause).toMatch(/readiness probe of container app in deployment web fails \(HTTP GET :80\/\)/);
    expect(p.evidence.map((e) => e.fact)).toContain('pod web-1-a: Unhealthy ×12: Readiness probe failed: HTTP probe failed with statuscode: 500');
  });

  it('the rollback for a readiness failure after a healthy revision cites the probe failure', () => {
    const p = analyzeRunbook(facts({ deployment, history: [revision(2, 'unhealthy'), revision(1, 'healthy')], pods: [{ ...unreadyPod, metadata: { ...unreadyPod.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-2', uid: 'r2' }] } }], unhealthyEvents: [readinessEvent] }), settings);
    expect(p.actions.map((a) => a.command)).toEqual(['kubectl rollout undo deployment/web -n shop']);
    expect(p.evidence.some((e) => /Readiness probe failed/.test(e.fact))).toBe(true);
  });

  it('a pod controlled by a Job names its controller', () => {
    const pod: KubeObject = { metadata: { name: 'nightly-x', namespace: 'shop', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'nightly', uid: 'j', controller: true }] }, status: { phase: 'Failed' } };
    const p = analyzeRunbook(facts({ target: { namespace: 'shop', kind: 'Pod', name: 'nightly-x' }, pods: [pod] }), settings);
    expect(p.actions).toEqual([]);
    expect(p.escalate.reason).toMatch(/controlled by Job nightly/);
  });

  it('a node alert escalates as a node, not as a missing Deployment', () => {
    const p = analyzeRunbook(facts({ target: { namespace: '', kind: 'Node', name: 'node-3' } }), settings);
    expect(p.actions).toEqual([]);
    expect(p.escalate.reason).toMatch(/node node-3/);
    expect(p.escalate.reason).not.toMatch(/Deployment/);
  });
});

describe('an old OOM kill is history', () => {
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
  const oomPod = (finishedAt: string): KubeObject => ({
    metadata: { name: 'web-1-a', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'r1' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt } } }] },
  });
  const badImagePod: KubeObject = {
    metadata: { name: 'web-2-b', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-2', uid: 'r2' }] },
    status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] },
  };
  const oomDeployment: KubeObject = { ...deployment, spec: { ...deployment.spec, template: { spec: { containers: [{ name: 'app', resources: { limits: { memory: '256Mi' } } }] } } } };
  const history = [{ ...revision(2, 'unhealthy'), podReasons: ['ImagePullBackOff'] }, revision(1, 'healthy')];

  it('a bad rollout after an OOM kill hours ago is rolled back, not given more memory', () => {
    const p = analyzeRunbook(facts({ deployment: oomDeployment, history, pods: [oomPod(hoursAgo(3)), badImagePod] }), settings);
    expect(p.actions.map((a) => a.command)).toEqual(['kubectl rollout undo deployment/web -n shop']);
  });

  it('a recent OOM kill still raises the limit', () => {
    const p = analyzeRunbook(facts({ deployment: oomDeployment, history: [revision(1, 'unhealthy')], pods: [oomPod(hoursAgo(0.1))] }), settings);
    expect(p.actions.map((a) => a.command)).toEqual(['kubectl set resources deployment/web -n shop -c app --limits=memory=512Mi']);
  });
});

describe('image failures', () => {
  it('ErrImageNeverPull (imagePullPolicy Never, image not on the node) after a healthy revision is rolled back', () => {
    const history = [{ ...revision(2, 'unhealthy'), podReasons: ['ErrImageNeverPull'] }, revision(1, 'healthy')];
    const p = analyzeRunbook(facts({ deployment, history }), settings);
    expect(p.actions.map((a) => a.command)).toEqual(['kubectl rollout undo deployment/web -n shop']);
    expect(p.rootCause).toMatch(/image pull failure/);
  });
});
