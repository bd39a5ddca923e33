// kube-sim's answers compared with the golden captures of a real kube-apiserver (test/fixtures/sim/reference-excerpts.json).

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/index.js';
import { simRequest } from '../../helpers/sim-http.js';
import { addNode, addPod, addEvent } from './sim-fixtures.js';

interface Excerpts {
  discovery: Record<string, { keys: string[]; resources: Array<Record<string, unknown>> }>;
  columns: Record<string, unknown[]>;
  errors: Record<string, Record<string, unknown>>;
  eviction_blocked: unknown;
  scale_get: Record<string, unknown>;
}

const ref = JSON.parse(readFileSync(new URL('../../fixtures/sim/reference-excerpts.json', import.meta.url), 'utf8')) as Excerpts;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

let sim: RunningSim;

beforeAll(async () => {
  sim = await startSim({ withoutControllers: true });
  addNode(sim.store, 'node-1');
  const pod = addPod(sim.store, 'p1', { node: 'node-1' });
  addEvent(sim.store, 'p1.1', pod, 'Started', 'Started container app', 3);
  sim.store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } as never);
});

afterAll(async () => {
  await sim?.stop();
});

const gvPath = (gv: string) => (gv === 'v1' ? '/api/v1' : `/apis/${gv}`);

describe('discovery matches the real server for every resource kube-sim serves', () => {
  it.each(Object.keys(ref.discovery))('%s', async (gv) => {
    const res = await simRequest(sim, 'GET', gvPath(gv));
    expect(res.status).toBe(200);
    const doc = res.json<Record<string, unknown> & { resources: Array<Record<string, unknown>> }>();
    expect(Object.keys(doc).filter((k) => k !== 'resources')).toEqual(ref.discovery[gv].keys);
    for (const ours of doc.resources) {
      const real = ref.discovery[gv].resources.find((r) => r.name === ours.name);
      expect(real, `${ours.name as string} exists on a real server`).toBeDefined();
      expect(ours).toEqual(real);
    }
  });

  it('unknown groups get the plain-text 404; unknown resources in a known group a NotFound Status', async () => {
    // metrics.k8s.io is served (as with metrics-server installed); a group nobody registered is not.
    const unknown = await simRequest(sim, 'GET', '/apis/widgets.example.com/v1/namespaces/default/widgets');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(unknown.text).toBe('404 page not found\n');
    const widgets = await simRequest(sim, 'GET', '/apis/apps/v1/namespaces/default/widgets');
    expect(widgets.json()).toEqual(ref.errors['404_unknown_resource.json']);
  });

  it('serves the OpenAPI v3 index and per-group documents kubectl needs', async () => {
    const root = (await simRequest(sim, 'GET', '/openapi/v3')).json<{ paths: Record<string, { serverRelativeURL: string }> }>();
    const apps = await simRequest(sim, 'GET', root.paths['apis/apps/v1'].serverRelativeURL);
    const doc = apps.json<{ paths: Record<string, Record<string, { parameters: Array<{ name: string }>; 'x-kubernetes-group-version-kind': unknown }>> }>();
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(patch.parameters.map((p) => p.name)).toContain('fieldValidation');
  });
});

describe('Tables carry the real column definitions', () => {
  it.each([
    ['pods', '/api/v1/namespaces/default/pods'],
    ['deployments', '/apis/apps/v1/namespaces/default/deployments'],
    ['replicasets', '/apis/apps/v1/namespaces/default/replicasets'],
    ['daemonsets', '/apis/apps/v1/namespaces/default/daemonsets'],
    ['nodes', '/api/v1/nodes'],
    ['events', '/api/v1/namespaces/default/events'],
    ['services', '/api/v1/namespaces/default/services'],
    ['configmaps', '/api/v1/namespaces/default/configmaps'],
    ['namespaces', '/api/v1/namespaces'],
  ])('%s', async (name, path) => {
    const table = (await simRequest(sim, 'GET', `${path}?limit=500`, { accept: TABLE })).json<{ kind: string; columnDefinitions: unknown[]; metadata: { resourceVersion: string } }>();
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions).toEqual(ref.columns[name]);
    expect(Number(table.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('limit/continue pages through a list without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) sim.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `page-${i}`, namespace: 'kube-public' } } as never);
    const names: string[] = [];
    let token = '';
    for (let page = 0; page < 10; page++) {
      const path = `/api/v1/namespaces/kube-public/configmaps?limit=3${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const list = (await simRequest(sim, 'GET', path)).json<{ items: Array<{ metadata: { name: string } }>; metadata: { continue?: string; remainingItemCount?: number } }>();
      names.push(...list.items.map((i) => i.metadata.name));
      if (!list.metadata.continue) break;
      token = list.metadata.continue;
    }
    expect(names).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `page-${i}`));
  });

  it('rows carry PartialObjectMetadata by default, the object with includeObject=Object, null with None', async () => {
    type Row = { cells: unknown[]; object: { kind: string } | null };
    const rows = async (q: string) => (await simRequest(sim, 'GET', `/api/v1/namespaces/default/pods${q}`, { accept: TABLE })).json<{ rows: Row[] }>().rows;
    expect((await rows(''))[0].object?.kind).toBe('PartialObjectMetadata');
    expect((await rows('?includeObject=Object'))[0].object?.kind).toBe('Pod');
    expect((await rows('?includeObject=None'))[0].object).toBeNull();
    expect((await rows(''))[0].cells.slice(0, 4)).toEqual(['p1', '1/1', 'Running', '0']);
  });
});

describe('error Status objects match the real server', () => {
  const configmap = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...extra });

  it('NotFound, AlreadyExists, Invalid, MethodNotAllowed, UnsupportedMediaType, strict BadRequest', async () => {
    expect((await simRequest(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments/nope')).json()).toEqual(ref.errors['404_notfound.json']);
    expect((await simRequest(sim, 'POST', '/api/v1/namespaces/nope/configmaps', { body: configmap('x') })).json()).toEqual(ref.errors['404_namespace_not_found.json']);
    await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps', { body: configmap('app-config') });
    const dup = await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps', { body: configmap('app-config') });
    expect([dup.status, dup.json()]).toEqual([409, ref.errors['409_alreadyexists.json']]);
    const badName = await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps', { body: configmap('Bad_Name') });
    expect([badName.status, badName.json()]).toEqual([422, ref.errors['422_invalid_name.json']]);
    const badPod = await simRequest(sim, 'POST', '/api/v1/namespaces/default/pods', {
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad-pod' }, spec: { containers: [{ name: 'Bad_C' }] } },
    });
    expect(badPod.json()).toEqual(ref.errors['422_invalid_pod_multiple.json']);
    expect((await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps/app-config', { body: {} })).json()).toEqual(ref.errors['405_post_to_named_object.json']);
    expect((await simRequest(sim, 'PUT', '/api/v1/namespaces/default/configmaps', { body: {} })).json()).toEqual(ref.errors['405_put_collection.json']);
    expect((await simRequest(sim, 'PATCH', '/api/v1/namespaces/default/pods', { body: {}, contentType: 'application/merge-patch+json' })).json()).toEqual(
      ref.errors['405_patch_collection.json'],
    );
    const strict = await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { body: configmap('strict-x', { dataa: { a: 'b' } }) });
    expect([strict.status, strict.json()]).toEqual([400, ref.errors['400_strict_unknown_field.json']]);
  });

  it('wrongly-typed fields are a 400 decoding error, never a crash', async () => {
    const res = await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { a: 1 } } } });
    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    );
    const garbage = await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps', { rawBody: '{"apiVersion":"v1","kind":"Con' });
    expect(garbage.json<{ reason: string; code: number; message: string }>()).toMatchObject({ reason: 'BadRequest', code: 400 });
    expect(garbage.json<{ message: string }>().message).toMatch(/^the object provided is unrecognized \(must be of type ConfigMap\): couldn't get version\/kind; json parse error: /);
  });

  it('Conflict on a stale resourceVersion, Invalid replicas, 415 for a plain JSON patch', async () => {
    const body = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
    };
    const created = (await simRequest(sim, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body })).json<typeof body & { metadata: { resourceVersion: string } }>();
    await simRequest(sim, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { body: { spec: { replicas: 2 } }, contentType: 'application/merge-patch+json' });
    const stale = await simRequest(sim, 'PUT', '/apis/apps/v1/namespaces/default/deployments/web', { body: created });
    expect([stale.status, stale.json()]).toEqual([409, ref.errors['409_conflict_stale_resourceversion.json']]);
    const negative = await simRequest(sim, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web', {
      body: { spec: { replicas: -1 } },
      contentType: 'application/merge-patch+json',
    });
    expect([negative.status, negative.json()]).toEqual([422, ref.errors['422_invalid_negative_replicas.json']]);
    const plain = await simRequest(sim, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { body: { spec: { replicas: 2 } } });
    expect([plain.status, plain.json()]).toEqual([415, ref.errors['415_unsupported_patch_type.json']]);
    const scale = (await simRequest(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments/web/scale')).json<Record<string, unknown>>();
    expect(Object.keys(scale)).toEqual(Object.keys(ref.scale_get));
    expect(scale.status).toEqual({ replicas: 0, selector: 'app=web' });
  });

  it('Table watches send one-row Tables, column definitions only in the first; selector exits become DELETED', async () => {
    const rv = sim.store.currentResourceVersion();
    const cm = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels } });
    await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('w1', { watch: 'me' }) });
    await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('w2', { watch: 'me' }) });
    await simRequest(sim, 'PATCH', '/api/v1/namespaces/default/configmaps/w1', { body: { metadata: { labels: { watch: null } } }, contentType: 'application/merge-patch+json' });
    const query = `watch=true&resourceVersion=${rv}&timeoutSeconds=1&labelSelector=watch%3Dme`;
    const table = await simRequest(sim, 'GET', `/api/v1/namespaces/default/configmaps?${query}`, { accept: TABLE });
    const events = table.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { kind: string; columnDefinitions: unknown[] | null; rows: Array<{ cells: unknown[] }> } });
    expect(events.map((e) => [e.type, e.object.kind, e.object.rows[0].cells[0]])).toEqual([
      ['ADDED', 'Table', 'w1'],
      ['ADDED', 'Table', 'w2'],
      ['DELETED', 'Table', 'w1'],
    ]);
    expect(events[0].object.columnDefinitions).toEqual(ref.columns.configmaps);
    expect(events.slice(1).map((e) => e.object.columnDefinitions)).toEqual([null, null]);
  });

  it('a watch from a compacted resourceVersion answers 200 then one ERROR event with 410 Expired', async () => {
    // Fill more history than the store keeps (10,000 changes).
    for (let i = 0; i < 12_000; i++) {
      sim.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bulk-${i}` } } as never);
    }
    const res = await simRequest(sim, 'GET', '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1');
    expect(res.status).toBe(200);
    const event = JSON.parse(res.text.trim()) as { type: string; object: { code: number; reason: string; message: string } };
    expect(event.type).toBe('ERROR');
    expect(event.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(event.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    expect(Object.keys(event.object)).toEqual(Object.keys(ref.errors['410_watch_expired_resourceversion.jsonl'].object as object));
  });

  it('eviction blocked by a PodDisruptionBudget answers the real 429', async () => {
    sim.store.create('poddisruptionbudgets', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web-pdb' },
      spec: { minAvailable: 3, selector: { matchLabels: { app: 'p1' } } },
    } as never);
    const res = await simRequest(sim, 'POST', '/api/v1/namespaces/default/pods/p1/eviction', {
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p1', namespace: 'default' } },
    });
    expect(res.status).toBe(429);
    expect(res.json()).toEqual({
      ...(ref.eviction_blocked as object),
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 3 healthy pods and has 1 currently' }] },
    });
  });
});
