// npm run bench:sim — runs `oncall-agent sim --nodes 20 --speed 10` as a child process, creates 50 deployments ×
// 40 pods (2,000 pods) and 10,000 events through the API, and prints: the time of `kubectl get pods -A`, of a
// client-node list of all pods, the time to reconcile every pod to Running, and the sim's RSS.
// Targets: lists < 300 ms, RSS < 500 MB, reconcile < 10 s at --speed 10.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { kubectlFor } from '../test/helpers/kubectl.js';
import { simRequest } from '../test/helpers/sim-http.js';

const DEPLOYMENTS = 50;
const REPLICAS = 40;
const EVENTS = 10_000;
const SPEED = 10;
const NODES = 20;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

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

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

const deployment = (i: number) => {
  const name = `bench-${String(i).padStart(2, '0')}`;
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
    },
  };
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sim-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const child = spawn(process.execPath, ['bin/oncall-agent.js', 'sim', '--nodes', String(NODES), '--speed', String(SPEED), '--kubeconfig', kubeconfigPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('kubeconfig:')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`sim exited early (${code})`)));
    });
    const config = parse(readFileSync(kubeconfigPath, 'utf8'));
    const target = {
      url: config.clusters[0].cluster.server as string,
      caCert: Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString(),
      token: config.users[0].user.token as string | undefined,
    } as unknown as Parameters<typeof simRequest>[0];
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const count = async (path: string) => {
      const res = await simRequest(target, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=1`);
      const list = res.json<{ items: unknown[]; metadata: { remainingItemCount?: number } }>();
      return list.items.length + (list.metadata.remainingItemCount ?? 0);
    };
    const start = Date.now();
    while ((await count('/api/v1/nodes')) < NODES && Date.now() - start < 5_000) await new Promise((r) => setTimeout(r, 100));
    const controllersPresent = (await count('/api/v1/nodes')) > 0;

    const createStart = performance.now();
    await inParallel([...Array(DEPLOYMENTS).keys()], 8, (i) => apps.createNamespacedDeployment({ namespace: 'default', body: deployment(i) }));
    let reconcile = 'n/a (controllers not present)';
    if (controllersPresent) {
      const deadline = Date.now() + 120_000;
      let running = 0;
      while (Date.now() < deadline) {
        running = await count('/api/v1/pods?fieldSelector=status.phase%3DRunning');
        if (running >= DEPLOYMENTS * REPLICAS) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const seconds = (performance.now() - createStart) / 1000;
      reconcile = running >= DEPLOYMENTS * REPLICAS ? `${seconds.toFixed(2)} s [${seconds < 10 ? 'ok' : 'OVER TARGET'}]` : `not reached in 120 s (${running} Running)`;
    } else {
      await inParallel([...Array(DEPLOYMENTS * REPLICAS).keys()], 16, (i) =>
        core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: `bench-pod-${i}`, labels: { app: 'bench' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } }),
      );
    }

    // client-node opens a new TLS connection per request; a keep-alive agent measures the sim, not handshakes.
    const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: target.caCert });
    const eventsStart = performance.now();
    await inParallel([...Array(EVENTS).keys()], 16, (i) =>
      simRequest(target, 'POST', '/api/v1/namespaces/default/events', {
        agent,
        body: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: `bench.${i}` },
          involvedObject: { kind: 'Pod', namespace: 'default', name: `bench-${i}` },
          reason: 'Pulled',
          message: 'Container image "nginx:1.25" already present on machine',
          source: { component: 'kubelet', host: 'sim-node-1' },
          firstTimestamp: new Date().toISOString(),
          lastTimestamp: new Date().toISOString(),
          count: 1,
          type: 'Normal',
        },
      }),
    );
    agent.destroy();
    const eventsSeconds = (performance.now() - eventsStart) / 1000;

    const kubectl = kubectlFor(kubeconfigPath);
    await kubectl.ok(['get', 'ns']); // warm the discovery cache, as any second kubectl call would have it
    let rows = 0;
    const kubectlMs = await timed(async () => {
      rows = (await kubectl.ok(['get', 'pods', '-A'], { timeoutMs: 60_000 })).split('\n').length - 1;
    });
    let items = 0;
    const clientMs = await timed(async () => {
      items = (await core.listPodForAllNamespaces()).items.length;
    });
    const rawJsonMs = await timed(() => simRequest(target, 'GET', '/api/v1/pods'));
    const rawTableMs = await timed(() => simRequest(target, 'GET', '/api/v1/pods?limit=500', { accept: TABLE }));
    const eventsKubectlMs = await timed(() => kubectl.ok(['get', 'events', '-A', '--sort-by=.lastTimestamp'], { timeoutMs: 60_000 }), 3);
    const rss = rssMb(child.pid as number);
    const ok = (v: number, limit: number) => (v < limit ? 'ok' : 'OVER TARGET');
    process.stdout.write(
      [
        `kube-sim benchmark: ${DEPLOYMENTS} deployments × ${REPLICAS} pods, ${EVENTS} events, ${NODES} nodes, speed ${SPEED}`,
        `reconcile ${DEPLOYMENTS * REPLICAS} pods to Running:   ${reconcile}`,
        `kubectl get pods -A:                ${kubectlMs.toFixed(0)} ms (median of 5, ${rows} rows, kubectl start-up included) [${ok(kubectlMs, 300)}]`,
        `client-node listPodForAllNamespaces: ${clientMs.toFixed(0)} ms (median of 5, ${items} items, typed decoding included) [${ok(clientMs, 300)}]`,
        `server only: GET all pods as JSON:  ${rawJsonMs.toFixed(0)} ms`,
        `server only: GET 500 pods as Table: ${rawTableMs.toFixed(0)} ms (kubectl fetches pages of 500)`,
        `kubectl get events -A --sort-by:    ${eventsKubectlMs.toFixed(0)} ms (${EVENTS} events, created in ${eventsSeconds.toFixed(1)} s)`,
        `sim RSS:                            ${rss.toFixed(0)} MB [${ok(rss, 500)}]`,
        '',
      ].join('\n'),
    );
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:sim failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
