// startSim: one kube-sim instance (store + API server + garbage collector + controllers) on a free loopback port,
// with a kubeconfig written for it. Many can run side by side.

import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimServer } from './api/http/server.js';
import { startControllers } from './controllers/index.js';
import { startGarbageCollector } from './garbage-collector.js';
import { writeKubeconfig } from './kubeconfig.js';
import { MemoryStore } from './store/memory-store.js';
import type { SimObject } from './store/types.js';
import { getSimTls } from './tls.js';
import type { RuntimeSlot } from './kubelet/runtime-view.js';

export interface StartSimOptions {
  /** Port on 127.0.0.1; default a free port. */
  port?: number;
  /** Where to write the kubeconfig; default a fresh temp dir. */
  kubeconfigPath?: string;
  /** Number of simulated nodes (default 3). */
  nodes?: number;
  /** Simulated time speed-up (default 10). */
  speed?: number;
  nodePrefix?: string;
  /** Serve plain HTTP instead of HTTPS (kubectl and client-node behave the same). */
  insecureHttp?: boolean;
  /** Require this bearer token; default a random one (written into the kubeconfig). `false` disables auth. */
  token?: string | false;
  /** Skip starting controllers/kubelets (API-server-only tests). */
  withoutControllers?: boolean;
  /** The sim's own log, e.g. what the program model could not interpret (default: stderr, each line once). */
  note?: (line: string) => void;
}

export interface RunningSim {
  kubeconfigPath: string;
  url: string;
  store: MemoryStore;
  /** The CA certificate (PEM) clients must trust; undefined over plain HTTP. */
  caCert?: string;
  token?: string;
  /**
   * Takes the API server down (connections dropped, the port closed) and brings it back on the same port with the same
   * store: an API server restart, etcd intact. Controllers and kubelets keep running meanwhile, as they would.
   */
  stopApiServer(): Promise<void>;
  startApiServer(): Promise<void>;
  stop(): Promise<void>;
}

function seed(store: MemoryStore): void {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as unknown as SimObject, { skipAdmission: true });
  }
  for (const namespace of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } } as unknown as SimObject, {
      skipAdmission: true,
    });
  }
  store.create(
    'services',
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
    } as unknown as SimObject,
    { skipAdmission: true },
  );
}

export async function startSim(options: StartSimOptions = {}): Promise<RunningSim> {
  const store = new MemoryStore();
  seed(store);
  const gc = startGarbageCollector(store);
  const tls = options.insecureHttp ? undefined : await getSimTls();
  const token = options.token === false ? undefined : (options.token ?? randomBytes(18).toString('base64url'));
  const runtime: RuntimeSlot = {};
  let server: Awaited<ReturnType<typeof startSimServer>> | undefined = await startSimServer({ store, port: options.port, tls, token, runtime });
  const port = server.port;
  const url = server.url;
  const controllers = options.withoutControllers
    ? { stop: async () => undefined }
    : startControllers(store, { speed: options.speed ?? 10, nodes: options.nodes ?? 3, nodePrefix: options.nodePrefix, runtime, note: options.note });
  const kubeconfigPath = options.kubeconfigPath ?? join(await mkdtemp(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  await writeKubeconfig(kubeconfigPath, { server: url, caCert: tls?.cert ?? '', token });
  let stopped = false;
  const stopApiServer = async () => {
    const running = server;
    server = undefined;
    await running?.close();
  };
  return {
    kubeconfigPath,
    url,
    store,
    caCert: tls?.cert,
    token,
    stopApiServer,
    async startApiServer() {
      if (stopped || server) return;
      server = await startSimServer({ store, port, tls, token, runtime });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await controllers.stop();
      gc.stop();
      await stopApiServer();
    },
  };
}
