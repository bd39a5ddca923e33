// The ClusterReader adapter over @kubernetes/client-node against kube-sim (HTTPS, bearer token).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderKubeconfig } from '../../../chaos/sim/kubeconfig.js';
import { createClientNodeReader } from '../../../backend/src/cluster/client-node-reader.js';
import { createKubeConfig } from '../../../backend/src/cluster/create-kube-config.js';
import { ClusterReadError } from '../../../backend/src/cluster/cluster-read-error.js';
import { ConfigError } from '../../../backend/src/domain/errors.js';
import type { ReadableKind } from '../../../backend/src/domain/kube.js';
import { seedWorkload } from '../../helpers/seed-workload.js';
import { startHarness, type Harness } from './diagnose-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  seedWorkload(h.sim.store, {
    namespace: 'shop',
    name: 'web',
    revisions: [
      { image: 'web:1', replicas: 1, podState: 'ready', log: 'one\ntwo\nthree' },
      { image: 'web:2', replicas: 1, podState: 'imagepull' },
    ],
  });
});
afterAll(async () => {
  await h?.stop();
});

describe('client-node ClusterReader', () => {
  it('reads typed objects as plain wire-shaped JSON', async () => {
    const d = await h.reader.get('Deployment', 'shop', 'web');
    expect(d?.kind).toBe('Deployment');
    expect(typeof d?.metadata.creationTimestamp).toBe('string');
    expect(d?.spec.selector.matchLabels).toEqual({ app: 'web' });
    const pods = await h.reader.list('Pod', 'shop', { labelSelector: 'app=web' });
    expect(pods.map((p) => p.metadata.name).sort()).toEqual(['web-r1x3-p0', 'web-r2x3-p0']);
    expect((await h.reader.list('Pod', undefined, { fieldSelector: 'metadata.namespace=shop' })).length).toBe(2);
    expect((await h.reader.list('Node', 'ignored-for-cluster-scoped')).length).toBe(0);
  });

  it('answers undefined for a missing object, [] for an empty list, and log tails', async () => {
    expect(await h.reader.get('Pod', 'shop', 'nope')).toBeUndefined();
    expect(await h.reader.get('Namespace', undefined, 'nope')).toBeUndefined();
    expect(await h.reader.list('Pod', 'empty-ns')).toEqual([]);
    expect(await h.reader.readLog('shop', 'web-r1x3-p0', { container: 'app', tailLines: 2 })).toBe('two\nthree\n');
    // A container that has not started has no log: data, not a failure.
    expect(await h.reader.readLog('shop', 'web-r2x3-p0', { container: 'app' })).toBe('');
  });

  it('refuses Secrets at runtime too (ReadableKind excludes them at compile time)', async () => {
    await expect(h.reader.get('Secret' as ReadableKind, 'shop', 'db')).rejects.toThrow(/not a readable kind/);
    await expect(h.reader.list('Secret' as ReadableKind, 'shop')).rejects.toThrow(/not a readable kind/);
  });

  it('lists Secret names from a metadata-only list: names, never data (not even last-applied annotations)', async () => {
    const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials', namespace: 'shop' }, data: { password: 'aHVudGVyMg==' } });
    for (const name of ['db-credentials', 'api-token']) {
      h.sim.store.create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } }, type: 'Opaque', data: { password: 'aHVudGVyMg==' } } as never);
    }
    const names = await h.reader.listSecretNames!('shop');
    expect(names).toEqual(['api-token', 'db-credentials']);
    expect(JSON.stringify(names)).not.toContain('aHVudGVyMg==');
    expect(await h.reader.listSecretNames!('empty-ns')).toEqual([]);
  });

  it('turns API failures into ClusterReadError with context, without echoing the token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reader-'));
    const path = join(dir, 'kubeconfig');
    await writeFile(path, renderKubeconfig({ server: h.sim.url, caCert: h.sim.caCert ?? '', token: 'wrong-token-value' }));
    const reader = createClientNodeReader(createKubeConfig({ KUBECONFIG: path }));
    const error = await reader.get('Pod', 'shop', 'web-r1x3-p0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterReadError);
    expect((error as ClusterReadError).message).toMatch(/^failed to get pods web-r1x3-p0 in shop: 401/);
    expect((error as ClusterReadError).message).not.toContain('wrong-token-value');
    expect((error as ClusterReadError).transient).toBe(false);
    await expect(reader.list('Deployment', undefined)).rejects.toThrow(/^failed to list deployments in all namespaces: 401/);
  });

  it('reports an unreachable API server as a transient ClusterReadError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reader-'));
    const path = join(dir, 'kubeconfig');
    await writeFile(path, renderKubeconfig({ server: 'https://127.0.0.1:9', caCert: h.sim.caCert ?? '', token: 't' }));
    const error = await createClientNodeReader(createKubeConfig({ KUBECONFIG: path }))
      .list('Pod', 'shop')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterReadError);
    expect((error as ClusterReadError).transient).toBe(true);
    expect((error as Error).message).toMatch(/^failed to list pods in shop: /);
  });

  it('names the setting when the kubeconfig or the context is unusable', () => {
    expect(() => createKubeConfig({ KUBECONFIG: '/nonexistent/kubeconfig' })).toThrow(ConfigError);
    expect(() => createKubeConfig({ KUBECONFIG: h.sim.kubeconfigPath, KUBE_CONTEXT: 'prod' })).toThrow(/KUBE_CONTEXT: context "prod"/);
  });
});
