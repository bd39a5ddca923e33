import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientNodeReader } from '../../../backend/src/cluster/client-node-reader.js';
import { createKubeConfig } from '../../../backend/src/cluster/create-kube-config.js';
import type { ClusterReader } from '../../../backend/src/domain/ports.js';
import { recheckSymptom } from '../../../backend/src/verify/recheck-symptom.js';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';

// The re-check before resolving, through the real client-node reader against kube-sim, after the real kubectl
// changed things: a StatefulSet and a DaemonSet rolled to an image that cannot be pulled and back, the Service in
// front of the StatefulSet, and a node cordoned and uncordoned.

let sim: RunningSim;
let reader: ClusterReader;
let kubectl: (...args: string[]) => Promise<string>;

/** Waits for a clean re-check; on timeout says what the last one saw. */
async function untilClean(target: { kind: string; namespace?: string; name: string }, timeoutMs: number): Promise<string> {
  let last = '';
  return eventually(async () => {
    const r = await recheckSymptom(target, reader);
    last = r.detail;
    return r.clean ? r.detail : undefined;
  }, timeoutMs, 250).catch((error: Error) => {
    throw new Error(`${error.message}; last re-check: ${last}`);
  });
}

beforeAll(async () => {
  sim = await startSim({ speed: 20 });
  reader = createClientNodeReader(createKubeConfig({ KUBECONFIG: sim.kubeconfigPath }));
  const k = kubectlFor(sim.kubeconfigPath);
  kubectl = (...args: string[]) => k.ok(args);
  await kubectl('create', 'namespace', 'data');
}, 60_000);
afterAll(async () => {
  await sim?.stop();
});

const manifest = (kind: 'StatefulSet' | 'DaemonSet', name: string) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: 'data' },
    spec: {
      ...(kind === 'StatefulSet' ? { replicas: 2, serviceName: name } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
    },
  });

const apply = async (json: string) => {
  const k = kubectlFor(sim.kubeconfigPath);
  const result = await k.run(['apply', '-f', '-'], { input: json });
  if (result.exitCode !== 0) throw new Error(result.stderr);
};

describe('recheckSymptom on kube-sim', () => {
  it('StatefulSet and its Service: clean when healthy, not while a pod cannot pull its image, clean again after the rollback', async () => {
    await apply(manifest('StatefulSet', 'db'));
    await kubectl('create', 'service', 'clusterip', 'db', '-n', 'data', '--tcp=80:80');
    await kubectl('rollout', 'status', 'statefulset/db', '-n', 'data', '--timeout=60s');
    const db = { kind: 'StatefulSet', namespace: 'data', name: 'db' };
    await untilClean(db, 30_000);
    expect(await untilClean({ kind: 'Service', namespace: 'data', name: 'db' }, 30_000)).toBe('service data/db: 2 ready endpoint addresses');

    await kubectl('set', 'image', 'statefulset/db', '-n', 'data', 'main=nginx:does-not-exist');
    const broken = await eventually(async () => {
      const r = await recheckSymptom(db, reader);
      return r.clean ? undefined : r;
    }, 30_000, 200);
    expect(broken.detail).toMatch(/^statefulset data\/db: (rollout not complete|pods still failing)/);

    await kubectl('rollout', 'undo', 'statefulset/db', '-n', 'data');
    // As in Kubernetes, a StatefulSet may wait on a pod that never became ready (forced rollback): the fix deletes it.
    const images = await kubectl('get', 'pods', '-n', 'data', '-l', 'app=db', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image}{"\\n"}{end}');
    for (const line of images.split('\n').filter((l) => l.endsWith('=nginx:does-not-exist'))) await kubectl('delete', 'pod', line.split('=')[0], '-n', 'data', '--wait=false');
    expect(await untilClean(db, 60_000)).toMatch(/^statefulset data\/db: rollout complete: 2\/2 ready/);
  }, 150_000);

  it('DaemonSet: clean once every node runs an updated, ready pod; not once a rollout to a bad image starts', async () => {
    await apply(manifest('DaemonSet', 'agent'));
    await kubectl('rollout', 'status', 'daemonset/agent', '-n', 'data', '--timeout=60s');
    const agent = { kind: 'DaemonSet', namespace: 'data', name: 'agent' };
    await untilClean(agent, 30_000);
    await kubectl('set', 'image', 'daemonset/agent', '-n', 'data', 'main=nginx:does-not-exist');
    const broken = await eventually(async () => {
      const r = await recheckSymptom(agent, reader);
      return r.clean ? undefined : r;
    }, 30_000, 200);
    expect(broken.detail).toMatch(/^daemonset data\/agent: (rollout not complete|pods still failing)/);
  }, 150_000);

  it('Node: cordoned is not clean, uncordoned is', async () => {
    const node = (await kubectl('get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
    await kubectl('cordon', node);
    expect(await recheckSymptom({ kind: 'Node', name: node }, reader)).toEqual({ clean: false, detail: `node ${node}: node is cordoned (unschedulable)` });
    await kubectl('uncordon', node);
    expect(await recheckSymptom({ kind: 'Node', name: node }, reader)).toEqual({ clean: true, detail: `node ${node}: node is Ready and schedulable` });
  }, 60_000);
});
