import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimObject } from '../../../chaos/sim/store/types.js';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { createClientNodeReader } from '../../../backend/src/cluster/client-node-reader.js';
import { createKubeConfig } from '../../../backend/src/cluster/create-kube-config.js';
import type { ClusterReader } from '../../../backend/src/domain/ports.js';
import { assessBlastRadius, assessCommand, gatherBlastRadiusFacts, withBlastRadius } from '../../../backend/src/risk/index.js';
import { seedWorkload } from '../../helpers/seed-workload.js';

// Blast radius end to end: facts read through the real client-node ClusterReader from kube-sim.
describe('blast radius on kube-sim', () => {
  let sim: RunningSim;
  let reader: ClusterReader;
  const policy = { protectedNamespaces: [], denyList: [] };

  beforeAll(async () => {
    sim = await startSim({ withoutControllers: true });
    reader = createClientNodeReader(createKubeConfig({ KUBECONFIG: sim.kubeconfigPath }));
    seedWorkload(sim.store, { namespace: 'shop', name: 'solo', revisions: [{ image: 'solo:1', replicas: 1, podState: 'ready' }], service: true });
    seedWorkload(sim.store, { namespace: 'shop', name: 'web', revisions: [{ image: 'web:1', replicas: 3, podState: 'ready' }] });
    sim.store.create('poddisruptionbudgets', {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' },
      spec: { minAvailable: 3, selector: { matchLabels: { app: 'web' } } },
    } as unknown as SimObject, { skipAdmission: true });
    sim.store.create('endpoints', {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'solo', namespace: 'shop' },
      subsets: [{ addresses: [{ ip: '10.244.0.7' }], ports: [{ port: 8080 }] }],
    } as unknown as SimObject, { skipAdmission: true });
    const pdb = sim.store.peek('poddisruptionbudgets', 'shop', 'web') as SimObject;
    sim.store.updateStatus('poddisruptionbudgets', { ...pdb, status: { disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3, expectedPods: 3 } } as SimObject, { skipAdmission: true });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const assess = async (line: string) => {
    const a = assessCommand(line, policy);
    if (!a.parsed) throw new Error(a.reasons.join('; '));
    const blast = assessBlastRadius(a.parsed, await gatherBlastRadiusFacts(a.parsed, reader));
    return { blast, merged: withBlastRadius(a, blast) };
  };

  const podsOf = (app: string) =>
    (sim.store.peekList('pods', 'shop') as SimObject[]).filter((p) => p.metadata.labels?.app === app).map((p) => p.metadata.name as string);

  it('deleting the only pod of a deployment raises the level to high', async () => {
    const [pod] = podsOf('solo');
    const { blast, merged } = await assess(`kubectl delete pod ${pod} -n shop`);
    expect(blast.reasons).toContain('leaves Deployment shop/solo with no ready replica (1 ready now)');
    expect(merged.level).toBe('high');
  });

  it('deleting one of three pods guarded by a PDB that allows no disruption', async () => {
    const [pod] = podsOf('web');
    const { blast } = await assess(`kubectl delete pod ${pod} -n shop`);
    expect(blast.podsTouched).toBe(1);
    expect(blast.reasons).toEqual(['violates PodDisruptionBudget shop/web: it allows 0 disruption(s), the command removes 1 covered pod(s)']);
  });

  it('draining the node that holds every replica', async () => {
    const { blast } = await assess('kubectl drain sim-node-1 --ignore-daemonsets');
    expect(blast.podsTouched).toBe(4);
    expect(blast.reasons).toEqual(expect.arrayContaining([
      'leaves Deployment shop/solo with no ready replica (1 ready now)',
      'leaves Deployment shop/web with no ready replica (3 ready now)',
    ]));
  });

  it('scaling web from 3 to 2 removes one pod and leaves ready replicas (a PDB does not guard scale-downs)', async () => {
    const scale = await assess('kubectl scale deploy web --replicas=2 -n shop');
    expect(scale.blast).toEqual({ level: 'low', reasons: [], podsTouched: 1 });
    expect(scale.merged.level).toBe('medium');
  });

  it('deleting a Service with ready endpoints cuts its traffic', async () => {
    const svc = await assess('kubectl delete svc solo -n shop');
    expect(svc.blast.reasons).toEqual(['deletes Service shop/solo, which routes traffic to 1 ready endpoint(s)']);
  });

  it('magnitude from the live state: a scale far beyond the current count is high, a modest one is not (issue 13)', async () => {
    const far = await assess('kubectl scale deployment/web -n shop --replicas=40');
    expect(far.blast.reasons.join('; ')).toMatch(/scales Deployment shop\/web to 40, far beyond its 3/);
    expect(far.merged.level).toBe('high');
    const modest = await assess('kubectl scale deployment/web -n shop --replicas=5');
    expect(modest.blast.reasons.filter((r) => r.includes('far beyond'))).toEqual([]);
    expect(modest.merged.level).toBe('medium');
  });
});
