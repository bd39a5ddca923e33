import { describe, expect, it } from 'vitest';
import { assessBlastRadius, assessCommand, withBlastRadius, type BlastRadiusFacts, type ParsedKubectl } from '../../../backend/src/risk/index.js';
import type { PodFact, WorkloadFact } from '../../../backend/src/risk/blast-radius.js';
import { POLICY } from './corpus-helpers.js';

const parsed = (line: string): ParsedKubectl => {
  const a = assessCommand(line, POLICY);
  if (!a.parsed) throw new Error(`not parsed: ${line}`);
  return a.parsed;
};

const pod = (name: string, owner: string | undefined, extra: Partial<PodFact> = {}): PodFact => ({
  namespace: 'shop', name, ready: true, node: 'n1', labels: { app: owner?.split('/')[2] ?? name }, owner, ...extra,
});
const deployment = (name: string, ready: number, desired = ready): WorkloadFact => ({
  key: `Deployment/shop/${name}`, kind: 'Deployment', namespace: 'shop', name, desired, ready,
});
const facts = (f: Partial<BlastRadiusFacts>): BlastRadiusFacts => ({ pods: [], workloads: [], pdbs: [], services: [], ...f });

describe('assessBlastRadius', () => {
  it('deleting the only ready pod of a deployment leaves it with no ready replica', () => {
    const b = assessBlastRadius(parsed('kubectl delete pod web-1 -n shop'), facts({
      pods: [pod('web-1', 'Deployment/shop/web')], workloads: [deployment('web', 1)],
    }));
    expect(b.level).toBe('high');
    expect(b.reasons).toEqual(['leaves Deployment shop/web with no ready replica (1 ready now)']);
    expect(b.podsTouched).toBe(1);
  });

  it('deleting one of three ready pods is fine', () => {
    const b = assessBlastRadius(parsed('kubectl delete pod web-1 -n shop'), facts({
      pods: [pod('web-1', 'Deployment/shop/web')], workloads: [deployment('web', 3)],
    }));
    expect(b).toEqual({ level: 'low', reasons: [], podsTouched: 1 });
  });

  it('deleting a not-ready pod of a single-replica deployment does not lower its ready count', () => {
    const b = assessBlastRadius(parsed('kubectl delete pod web-1 -n shop'), facts({
      pods: [pod('web-1', 'Deployment/shop/web', { ready: false })], workloads: [deployment('web', 1, 2)],
    }));
    expect(b.level).toBe('low');
  });

  it('deleting a bare pod: nothing recreates it', () => {
    const b = assessBlastRadius(parsed('kubectl delete pod debug -n shop'), facts({ pods: [pod('debug', undefined)] }));
    expect(b.reasons).toEqual(['removes pod shop/debug, which no controller recreates']);
  });

  it('draining the node that holds every replica', () => {
    const b = assessBlastRadius(parsed('kubectl drain n1 --ignore-daemonsets'), facts({
      pods: [pod('web-1', 'Deployment/shop/web'), pod('web-2', 'Deployment/shop/web'), pod('agent-x', 'DaemonSet/shop/agent', { staysOnDrain: true })],
      workloads: [deployment('web', 2)],
    }));
    expect(b.level).toBe('high');
    expect(b.reasons).toContain('leaves Deployment shop/web with no ready replica (2 ready now)');
    expect(b.podsTouched).toBe(2);
  });

  it('draining a node that holds one of several replicas', () => {
    const b = assessBlastRadius(parsed('kubectl drain n1 --ignore-daemonsets'), facts({
      pods: [pod('web-1', 'Deployment/shop/web')], workloads: [deployment('web', 3)],
    }));
    expect(b).toEqual({ level: 'low', reasons: [], podsTouched: 1 });
  });

  it('a drain that exceeds a PodDisruptionBudget', () => {
    const b = assessBlastRadius(parsed('kubectl drain n1 --ignore-daemonsets'), facts({
      pods: [pod('web-1', 'Deployment/shop/web'), pod('web-2', 'Deployment/shop/web')],
      workloads: [deployment('web', 4)],
      pdbs: [{ namespace: 'shop', name: 'web-pdb', disruptionsAllowed: 1, selector: { matchLabels: { app: 'web' } } }],
    }));
    expect(b.level).toBe('high');
    expect(b.reasons).toEqual(['violates PodDisruptionBudget shop/web-pdb: it allows 1 disruption(s), the command removes 2 covered pod(s)']);
  });

  it('a PDB in another namespace or with a non-matching selector does not count', () => {
    const b = assessBlastRadius(parsed('kubectl delete pod web-1 -n shop'), facts({
      pods: [pod('web-1', 'Deployment/shop/web')], workloads: [deployment('web', 3)],
      pdbs: [
        { namespace: 'other', name: 'p', disruptionsAllowed: 0, selector: {} },
        { namespace: 'shop', name: 'q', disruptionsAllowed: 0, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] } },
      ],
    }));
    expect(b.level).toBe('low');
  });

  it('scaling to 0 and deleting a deployment leave no ready replica', () => {
    const f = facts({ pods: [pod('web-1', 'Deployment/shop/web'), pod('web-2', 'Deployment/shop/web')], workloads: [deployment('web', 2)] });
    for (const line of ['kubectl scale deploy web --replicas=0 -n shop', 'kubectl delete deploy web -n shop', 'kubectl patch deploy web -n shop -p \'{"spec":{"replicas":0}}\'']) {
      const b = assessBlastRadius(parsed(line), f);
      expect(b.level, line).toBe('high');
      expect(b.podsTouched, line).toBe(2);
    }
    const down = assessBlastRadius(parsed('kubectl scale deploy web --replicas=1 -n shop'), f);
    expect(down).toEqual({ level: 'low', reasons: [], podsTouched: 1 });
  });

  it('deleting a Service that has ready endpoints', () => {
    const b = assessBlastRadius(parsed('kubectl delete svc web -n shop'), facts({ services: [{ namespace: 'shop', name: 'web', readyEndpoints: 3 }] }));
    expect(b.reasons).toEqual(['deletes Service shop/web, which routes traffic to 3 ready endpoint(s)']);
  });

  it('a rollout restart reports how many pods it restarts without raising the level', () => {
    const b = assessBlastRadius(parsed('kubectl rollout restart deploy/web -n shop'), facts({
      pods: [pod('web-1', 'Deployment/shop/web'), pod('web-2', 'Deployment/shop/web')], workloads: [deployment('web', 2)],
    }));
    expect(b).toEqual({ level: 'low', reasons: [], podsTouched: 2 });
  });

  it('withBlastRadius only raises the level and keeps the most severe reason first', () => {
    const base = assessCommand('kubectl delete pod web-1 -n shop', POLICY);
    const raised = withBlastRadius({ ...base, level: 'medium' }, { level: 'high', reasons: ['x'], podsTouched: 1 });
    expect(raised.level).toBe('high');
    expect(raised.reasons[0]).toBe('blast radius: x');
    const forbidden = assessCommand('kubectl delete ns prod', POLICY);
    const kept = withBlastRadius(forbidden, { level: 'high', reasons: ['y'], podsTouched: 0 });
    expect(kept.level).toBe('forbidden');
    expect(kept.reasons[0]).toBe(forbidden.reasons[0]);
    expect(kept.reasons).toContain('blast radius: touches 0 pod(s)');
  });
});

describe('magnitude against the current state (issue 13)', () => {
  const web = (over: Partial<WorkloadFact> = {}): WorkloadFact => ({
    ...deployment('web', 3, 3),
    containers: [{ name: 'app', limits: { memory: '512Mi', cpu: '500m' }, requests: { memory: '256Mi' } }],
    ...over,
  });
  it.each([
    ['kubectl scale deployment/web -n shop --replicas=20', web(), 'high', /far beyond its 3/],
    ['kubectl scale deployment/web -n shop --replicas=9', web(), 'low', undefined],
    ['kubectl scale deployment/web -n shop --replicas=6', web(), 'low', undefined],
    // Scaling back to a recorded count is not "far beyond", however far it is from 0.
    ['kubectl scale deployment/web -n shop --replicas=20', web({ desired: 0, ready: 0, recordedReplicas: 20 }), 'low', undefined],
    ['kubectl scale deployment/web -n shop --replicas=40', web({ desired: 0, ready: 0, recordedReplicas: 5 }), 'high', /far beyond/],
    ['kubectl set resources deployment/web -n shop -c app --limits=memory=1Gi', web(), 'low', undefined],
    ['kubectl set resources deployment/web -n shop -c app --limits=memory=4Gi', web(), 'high', /memory of web\/app from 512Mi to 4Gi/],
    ['kubectl set resources deployment/web -n shop --limits=cpu=100m', web(), 'high', /×1\/5\.0/],
    ['kubectl set resources deployment/web -n shop -c other --limits=memory=8Gi', web(), 'low', undefined],
    ['kubectl patch deployment web -n shop -p \'{"spec":{"template":{"spec":{"containers":[{"name":"app","resources":{"requests":{"memory":"16Gi"}}}]}}}}\'', web(), 'high', /requests memory/],
  ])('%s', (line, workload, level, reason) => {
    const b = assessBlastRadius(parsed(line), facts({ workloads: [workload] }));
    expect(b.level).toBe(level);
    if (reason) expect(b.reasons.join('; ')).toMatch(reason);
  });
});
