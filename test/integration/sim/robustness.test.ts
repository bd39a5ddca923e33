// Malformed requests get a 4xx Status and never take kube-sim down.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/index.js';
import { simRequest } from '../../helpers/sim-http.js';

let sim: RunningSim;

beforeAll(async () => {
  sim = await startSim({ withoutControllers: true });
  await simRequest(sim, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } } });
});

afterAll(async () => {
  await sim?.stop();
});

const cases: Array<[string, string, string, { rawBody?: string; contentType?: string; body?: unknown }]> = [
  ['array body', 'POST', '/api/v1/namespaces/default/configmaps', { rawBody: '[]' }],
  ['metadata is a string', 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: 'x' } }],
  ['wrong kind for the path', 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } } }],
  ['namespace mismatch', 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'n', namespace: 'other' } } }],
  ['name mismatch on PUT', 'PUT', '/api/v1/namespaces/default/configmaps/cm', { body: { metadata: { name: 'other' } } }],
  ['json patch that is not a list', 'PATCH', '/api/v1/namespaces/default/configmaps/cm', { rawBody: '{"op":"add"}', contentType: 'application/json-patch+json' }],
  ['json patch replacing the whole object', 'PATCH', '/api/v1/namespaces/default/configmaps/cm', { rawBody: '[{"op":"replace","path":"","value":[1]}]', contentType: 'application/json-patch+json' }],
  ['merge patch of null', 'PATCH', '/api/v1/namespaces/default/configmaps/cm', { rawBody: 'null', contentType: 'application/merge-patch+json' }],
  ['strategic patch with a string spec', 'PATCH', '/api/v1/namespaces/default/configmaps/cm', { rawBody: '"x"', contentType: 'application/strategic-merge-patch+json' }],
  ['bad label selector', 'GET', '/api/v1/pods?labelSelector=a%3D(b', {}],
  ['unsupported field selector', 'GET', '/api/v1/pods?fieldSelector=spec.image%3Dx', {}],
  ['watch from a non-numeric resourceVersion', 'GET', '/api/v1/pods?watch=true&resourceVersion=abc', {}],
  ['garbage delete options', 'DELETE', '/api/v1/namespaces/default/configmaps/cm', { rawBody: '{"propagationPolicy":' }],
  ['bad propagation policy', 'DELETE', '/api/v1/namespaces/default/configmaps/cm', { body: { propagationPolicy: 'Sideways' } }],
  ['bad dryRun value', 'POST', '/api/v1/namespaces/default/configmaps?dryRun=Some', { body: { metadata: { name: 'd' } } }],
  ['scale to a string', 'PATCH', '/apis/apps/v1/namespaces/default/deployments/none/scale', { rawBody: '{"spec":{"replicas":"x"}}', contentType: 'application/merge-patch+json' }],
  ['protobuf garbage', 'POST', '/api/v1/namespaces/default/configmaps', { rawBody: 'k8s\u0000\u00ff\u00ff', contentType: 'application/vnd.kubernetes.protobuf' }],
  ['bad percent escape', 'GET', '/api/v1/namespaces/%E0%A4%A/pods', {}],
];

describe('malformed requests', () => {
  it.each(cases)('%s → 4xx Status', async (_name, method, path, options) => {
    const res = await simRequest(sim, method, path, options);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = res.json<{ kind: string; status: string }>();
    expect([body.kind, body.status]).toEqual(['Status', 'Failure']);
  });

  it('the server still answers afterwards and the object is intact', async () => {
    const cm = await simRequest(sim, 'GET', '/api/v1/namespaces/default/configmaps/cm');
    expect(cm.status).toBe(200);
    expect(cm.json<{ metadata: { name: string } }>().metadata.name).toBe('cm');
  });
});
