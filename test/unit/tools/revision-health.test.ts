// A revision's health during a rollout: the ReplicaSet being scaled down has a pod terminating for a moment, and a
// snapshot taken then must not make a healthy earlier revision look unhealthy (that would turn a rollback into an
// escalation, depending on when the alert was diagnosed).
import { describe, expect, it } from 'vitest';
import { summariseHistory } from '../../../backend/src/tools/get-deployment-history.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';

const deployment: KubeObject = { metadata: { name: 'web', namespace: 'shop', uid: 'd1' } };

function rs(revision: number, replicas: number, ready: number): KubeObject {
  return {
    metadata: { name: `web-${revision}`, namespace: 'shop', annotations: { 'deployment.kubernetes.io/revision': String(revision) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1' }] },
    spec: { replicas, template: { spec: { containers: [{ name: 'app', image: `web:${revision}` }] } } },
    status: { readyReplicas: ready },
  };
}

function pod(name: string, revision: number, o: { terminating?: boolean } = {}): KubeObject {
  return {
    metadata: {
      name,
      namespace: 'shop',
      ...(o.terminating ? { deletionTimestamp: new Date().toISOString() } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${revision}`, uid: `rs${revision}` }],
    },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] },
  };
}

describe('revision health with terminating pods', () => {
  it('a pod being scaled away does not make its revision unhealthy', () => {
    const [, previous] = summariseHistory(deployment, [rs(1, 1, 1), rs(2, 1, 0)], [pod('web-1-a', 1), pod('web-1-b', 1, { terminating: true })]);
    expect(previous).toMatchObject({ revision: 1, health: 'healthy', unhealthyPods: 0 });
  });

  it('a revision whose last pod is terminating after a scale to zero is scaled down', () => {
    const [, previous] = summariseHistory(deployment, [rs(1, 0, 0), rs(2, 2, 0)], [pod('web-1-a', 1, { terminating: true })]);
    expect(previous).toMatchObject({ revision: 1, health: 'scaled-down' });
  });
});
