// npm run bench:sim — 50 deployments × 40 pods (2,000 pods) + 10,000 events in one kube-sim; prints the time of
// `kubectl get pods -A`, of a client-node list of all pods, the time to reconcile every pod to Running (when the
// controllers are present) and the process RSS. Targets: lists < 300 ms, RSS < 500 MB, reconcile < 10 s at --speed 10.

import { performance } from 'node:perf_hooks';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startSim } from '../chaos/sim/index.js';
import type { SimObject } from '../chaos/sim/store/types.js';
import { kubectlFor } from '../test/helpers/kubectl.js';
import { simRequest } from '../test/helpers/sim-http.js';

const DEPLOYMENTS = 50;
const REPLICAS = 40;
const EVENTS = 10_000;
const SPEED = 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

function deployment(i: number): Record<string, unknown> {
  const name = `bench-${String(i).padStart(2, '0')}`;
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
    },
  };
}

/** Without controllers, put the 2,000 pods in the store as a ReplicaSet controller + kubelets would. */
function seedPodsDirectly(store: import('../chaos/sim/store/memory-store.js').MemoryStore): void {
  for (let i = 0; i < DEPLOYMENTS; i++) {
    const app = `bench-${String(i).padStart(2, '0')}`;
    for (let r = 0; r < REPLICAS; r++) {
      const pod = store.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { generateName: `${app}-5d8f9c7b6-`, namespace: 'default', labels: { app, 'pod-template-hash': '5d8f9c7b6' } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], nodeName: `sim-node-${(r % 20) + 1}` },
      } as unknown as SimObject);
      store.updateStatus('pods', {
        ...pod,
        status: {
          phase: 'Running',
          podIP: `10.244.${r % 20}.${r + 2}`,
          podIPs: [{ ip: `10.244.${r % 20}.${r + 2}` }],
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [{ name: 'app', ready: true, started: true, restartCount: 0, state: { running: { startedAt: pod.metadata.creationTimestamp } }, image: 'nginx:1.25', imageID: '' }],
        },
      });
    }
  }
}

async function main(): Promise<void> {
  const sim = await startSim({ nodes: 20, speed: SPEED });
  const kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const controllersPresent = sim.store.list('nodes').length > 0;

  const runningPods = () => sim.store.peekList('pods').filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp).length;
  const createStart = performance.now();
  for (let i = 0; i < DEPLOYMENTS; i++) await apps.createNamespacedDeployment({ namespace: 'default', body: deployment(i) });
  let reconcile = 'n/a (controllers not present)';
  if (controllersPresent) {
    const deadline = Date.now() + 120_000;
    while (runningPods() < DEPLOYMENTS * REPLICAS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const done = runningPods();
    reconcile = done >= DEPLOYMENTS * REPLICAS ? `${((performance.now() - createStart) / 1000).toFixed(2)} s` : `not reached in 120 s (${done} Running)`;
  } else {
    seedPodsDirectly(sim.store);
  }

  const pod = sim.store.peekList('pods')[0];
  for (let i = 0; i < EVENTS; i++) {
    sim.store.create('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `bench.${i}`, namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: pod?.metadata.name ?? 'x', uid: pod?.metadata.uid },
      reason: 'Pulled',
      message: 'Container image "nginx:1.25" already present on machine',
      source: { component: 'kubelet', host: 'sim-node-1' },
      firstTimestamp: new Date().toISOString(),
      lastTimestamp: new Date().toISOString(),
      count: 1,
      type: 'Normal',
    } as unknown as SimObject);
  }

  const kubectl = kubectlFor(sim.kubeconfigPath);
  await kubectl.ok(['get', 'ns']); // warm discovery
  let lines = 0;
  const kubectlMs = await timed(async () => {
    lines = (await kubectl.ok(['get', 'pods', '-A'], { timeoutMs: 60_000 })).split('\n').length - 1;
  });
  let items = 0;
  const clientMs = await timed(async () => {
    items = (await core.listPodForAllNamespaces()).items.length;
  });
  const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
  const rawJsonMs = await timed(() => simRequest(sim, 'GET', '/api/v1/pods'));
  const rawTableMs = await timed(() => simRequest(sim, 'GET', '/api/v1/pods?limit=500', { accept: TABLE }));
  global.gc?.();
  const rssMb = process.memoryUsage().rss / 1024 / 1024;

  const ok = (v: number, limit: number) => (v < limit ? 'ok' : 'OVER TARGET');
  process.stdout.write(
    [
      `kube-sim benchmark: ${DEPLOYMENTS} deployments × ${REPLICAS} pods, ${EVENTS} events, speed ${SPEED}`,
      `pods in store:                 ${sim.store.peekList('pods').length}`,
      `kubectl get pods -A:           ${kubectlMs.toFixed(0)} ms (median of 5, ${lines} rows, includes kubectl start-up) [${ok(kubectlMs, 300)}]`,
      `client-node list all pods:     ${clientMs.toFixed(0)} ms (median of 5, ${items} items) [${ok(clientMs, 300)}]`,
      `server: GET all pods (JSON):    ${rawJsonMs.toFixed(0)} ms (raw HTTPS, no client decoding)`,
      `server: GET 500 pods (Table):   ${rawTableMs.toFixed(0)} ms (raw HTTPS; kubectl fetches 4 such pages)`,
      `reconcile 2,000 pods Running:  ${reconcile}`,
      `RSS (sim + benchmark process): ${rssMb.toFixed(0)} MB [${ok(rssMb, 500)}]`,
      '',
    ].join('\n'),
  );
  await sim.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:sim failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
