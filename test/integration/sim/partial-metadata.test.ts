// Metadata-only reads (Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1), as the real API
// server answers them: items typed PartialObjectMetadata with the object's metadata alone, the list's resourceVersion
// and paging, and 406 NotAcceptable when a list is asked for as one object or one object as a list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/index.js';
import { simRequest } from '../../helpers/sim-http.js';

const LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const ONE = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
let sim: RunningSim;

beforeAll(async () => {
  sim = await startSim({ withoutControllers: true });
  sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } as never);
  for (const name of ['api-token', 'db-credentials']) {
    sim.store.create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop', labels: { app: 'shop' } }, type: 'Opaque', data: { password: 'aHVudGVyMg==' } } as never);
  }
});
afterAll(async () => {
  await sim?.stop();
});

describe('PartialObjectMetadata(List)', () => {
  it('lists metadata alone: no data, no type, each item typed PartialObjectMetadata', async () => {
    const res = await simRequest(sim, 'GET', '/api/v1/namespaces/shop/secrets', { accept: LIST });
    expect(res.status).toBe(200);
    const list = res.json<{ kind: string; apiVersion: string; metadata: { resourceVersion: string }; items: Array<Record<string, unknown> & { metadata: { name: string; namespace: string; labels: unknown } }> }>();
    expect(list.kind).toBe('PartialObjectMetadataList');
    expect(list.apiVersion).toBe('meta.k8s.io/v1');
    expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(list.items.map((i) => i.metadata.name)).toEqual(['api-token', 'db-credentials']);
    for (const item of list.items) {
      expect(Object.keys(item)).toEqual(['kind', 'apiVersion', 'metadata']);
      expect(item).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { namespace: 'shop', labels: { app: 'shop' } } });
    }
    expect(res.text).not.toContain('aHVudGVyMg==');
  });

  it('pages like any list and honours selectors', async () => {
    const page = (await simRequest(sim, 'GET', '/api/v1/namespaces/shop/secrets?limit=1', { accept: LIST })).json<{ metadata: { continue?: string; remainingItemCount?: number }; items: unknown[] }>();
    expect(page.items).toHaveLength(1);
    expect(page.metadata.remainingItemCount).toBe(1);
    expect(page.metadata.continue).toBeTruthy();
    const none = (await simRequest(sim, 'GET', '/api/v1/namespaces/shop/secrets?labelSelector=app%3Dother', { accept: LIST })).json<{ items: unknown[] }>();
    expect(none.items).toEqual([]);
  });

  it('gets one object as PartialObjectMetadata (v1beta1 too); a Table or plain JSON first is served as before', async () => {
    const one = (await simRequest(sim, 'GET', '/api/v1/namespaces/shop/secrets/api-token', { accept: ONE })).json<Record<string, unknown>>();
    expect(one).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'api-token' } });
    expect(one).not.toHaveProperty('data');
    const beta = (await simRequest(sim, 'GET', '/api/v1/namespaces/shop/secrets/api-token', { accept: ONE.replace('v=v1', 'v=v1beta1') })).json<{ apiVersion: string }>();
    expect(beta.apiVersion).toBe('meta.k8s.io/v1beta1');
    const plain = (await simRequest(sim, 'GET', '/api/v1/namespaces/shop/secrets', { accept: `application/json,${LIST}` })).json<{ kind: string }>();
    expect(plain.kind).toBe('SecretList');
  });

  it('answers 406 NotAcceptable for the wrong form', async () => {
    const one = await simRequest(sim, 'GET', '/api/v1/namespaces/shop/secrets/api-token', { accept: LIST });
    expect(one.status).toBe(406);
    expect(one.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotAcceptable', code: 406, message: 'you requested PartialObjectMetadataList, but the requested object is not a list (*v1.Secret)' });
    const list = await simRequest(sim, 'GET', '/api/v1/namespaces/shop/secrets', { accept: ONE });
    expect(list.status).toBe(406);
    expect(list.json<{ message: string }>().message).toBe('you requested PartialObjectMetadata, but the requested object is a list (*v1.SecretList)');
  });
});
