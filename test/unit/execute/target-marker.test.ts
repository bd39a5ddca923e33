import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../backend/src/domain/kube.js';
import { compareMarker, compareMarkers, describeTargetChange, markerOf, unreadableMarker, type MarkerRef } from '../../../backend/src/execute/target-marker.js';
import { redactValue } from '../../../backend/src/redaction/redact.js';

// The pure half of "the target changed since the plan": which marker an object gets, and what counts as a change.

const web: MarkerRef = { kind: 'Deployment', namespace: 'shop', name: 'web' };
const node: MarkerRef = { kind: 'Node', name: 'n1' };

function deployment(generation: number, resourceVersion: string, status: Record<string, unknown> = {}): KubeObject {
  return {
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', uid: 'uid-web', generation, resourceVersion, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
    status,
  };
}

function nodeObject(spec: Record<string, unknown>, resourceVersion: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { kind: 'Node', metadata: { name: 'n1', uid: 'uid-n1', resourceVersion, labels: { zone: 'a' }, ...extra }, spec, status: { conditions: [{ type: 'Ready', lastHeartbeatTime: resourceVersion }] } };
}

describe('markerOf', () => {
  it('uses metadata.generation where the object has one', () => {
    expect(markerOf(web, deployment(4, '100'))).toEqual({ ref: web, exists: true, uid: 'uid-web', basis: 'generation', value: '4' });
  });

  it('hashes spec and labels (never status or annotations) for an object without a generation', () => {
    const marker = markerOf(node, nodeObject({ unschedulable: true }, '7'));
    expect(marker).toMatchObject({ basis: 'content', parts: ['spec', 'labels'] });
    expect(marker.value).toMatch(/^[0-9a-f]{16}$/);
    // The same content in another key order hashes the same.
    const reordered = nodeObject({ unschedulable: true }, '7');
    reordered.metadata.labels = { zone: 'a' };
    expect(markerOf(node, reordered).value).toBe(marker.value);
  });

  it('hashes data and binaryData of a ConfigMap', () => {
    const cm: KubeObject = { kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop', resourceVersion: '3' }, data: { LEVEL: 'info' } };
    expect(markerOf({ kind: 'ConfigMap', namespace: 'shop', name: 'cfg' }, cm)).toMatchObject({ basis: 'content', parts: ['data'] });
  });

  it('falls back to resourceVersion when the object has no generation, spec, data or labels', () => {
    const ep: KubeObject = { kind: 'Endpoints', metadata: { name: 'web', namespace: 'shop', resourceVersion: '42' }, subsets: [] };
    expect(markerOf({ kind: 'Endpoints', namespace: 'shop', name: 'web' }, ep)).toMatchObject({ basis: 'resourceVersion', value: '42' });
  });

  it('records an absent object as such', () => {
    expect(markerOf(web, undefined)).toEqual({ ref: web, exists: false });
  });

  it('survives the redaction of the approval payload unchanged', () => {
    const markers = [markerOf(web, deployment(4, '100')), markerOf(node, nodeObject({ taints: [{ key: 'k', effect: 'NoSchedule' }] }, '9'))];
    expect(redactValue(markers)).toEqual(markers);
  });
});

describe('compareMarker', () => {
  it('a status-only change (pods restarting bump resourceVersion, not generation) is no change', () => {
    const before = markerOf(web, deployment(4, '100', { readyReplicas: 0 }));
    const after = markerOf(web, deployment(4, '187', { readyReplicas: 1, unavailableReplicas: 1 }));
    expect(compareMarker(before, after)).toBeUndefined();
  });

  it('a spec change of a Deployment is a change, said with both generations', () => {
    const change = compareMarker(markerOf(web, deployment(4, '100')), markerOf(web, deployment(5, '101')));
    expect(change).toEqual({ ref: web, what: 'generation 4 → 5' });
    expect(describeTargetChange(change!)).toBe('target deployment/web in shop changed since the plan (generation 4 → 5)');
  });

  it('a Node heartbeat (status, resourceVersion) is no change; a cordon or a label is', () => {
    const before = markerOf(node, nodeObject({}, '10'));
    expect(compareMarker(before, markerOf(node, nodeObject({}, '11')))).toBeUndefined();
    const cordoned = compareMarker(before, markerOf(node, nodeObject({ unschedulable: true }, '12')));
    expect(describeTargetChange(cordoned!)).toBe('target node/n1 changed since the plan (its spec or labels changed)');
    expect(compareMarker(before, markerOf(node, nodeObject({}, '13', { labels: { zone: 'b' } })))).toBeDefined();
    // Annotations are rewritten by node agents all the time: not a change.
    expect(compareMarker(before, markerOf(node, nodeObject({}, '14', { annotations: { 'node.alpha.kubernetes.io/ttl': '0' } })))).toBeUndefined();
  });

  it('deleted, created, and deleted-then-recreated under the same name are changes', () => {
    const before = markerOf(web, deployment(4, '100'));
    expect(compareMarker(before, markerOf(web, undefined))?.what).toBe('was deleted');
    expect(compareMarker(markerOf(web, undefined), before)?.what).toBe('was created');
    expect(compareMarker(markerOf(web, undefined), markerOf(web, undefined))).toBeUndefined();
    const recreated = deployment(4, '300');
    recreated.metadata.uid = 'uid-other';
    expect(compareMarker(before, markerOf(web, recreated))?.what).toBe('was deleted and created again');
  });

  it('a target unreadable at plan time always counts as changed (fail closed)', () => {
    const change = compareMarker(unreadableMarker(web, 'connect ECONNREFUSED'), markerOf(web, deployment(4, '100')));
    expect(change?.what).toMatch(/unknown \(the read failed: connect ECONNREFUSED\)/);
  });

  it('a resourceVersion marker compares the resourceVersion', () => {
    const ref = { kind: 'Endpoints', namespace: 'shop', name: 'web' };
    const ep = (rv: string): KubeObject => ({ kind: 'Endpoints', metadata: { name: 'web', namespace: 'shop', resourceVersion: rv } });
    expect(compareMarker(markerOf(ref, ep('1')), markerOf(ref, ep('2')))?.what).toBe('resourceVersion 1 → 2');
  });
});

describe('compareMarkers', () => {
  it('lists every changed target in the plan order, and a target missing from the fresh read as changed', () => {
    const before = [markerOf(web, deployment(4, '100')), markerOf(node, nodeObject({}, '10'))];
    expect(compareMarkers(before, [markerOf(web, deployment(4, '120')), markerOf(node, nodeObject({}, '11'))])).toEqual([]);
    expect(compareMarkers(before, [markerOf(node, nodeObject({ unschedulable: true }, '11')), markerOf(web, deployment(6, '130'))]).map(describeTargetChange)).toEqual([
      'target deployment/web in shop changed since the plan (generation 4 → 6)',
      'target node/n1 changed since the plan (its spec or labels changed)',
    ]);
    expect(compareMarkers(before, [markerOf(node, nodeObject({}, '10'))])).toEqual([{ ref: web, what: 'could not be read again' }]);
  });
});
