import { describe, expect, it } from 'vitest';
import { applyMergePatch, applyStrategicMergePatch } from '../../../chaos/sim/api/patch/strategic-merge.js';

const podSpec = {
  spec: {
    containers: [
      { name: 'app', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
      { name: 'sidecar', image: 'busybox:1.36' },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
    tolerations: [{ key: 'a', operator: 'Exists' }],
  },
};

describe('strategic merge patch', () => {
  it.each([
    [
      'merges containers by name and env by name',
      { spec: { containers: [{ name: 'app', image: 'nginx:1.27', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] } },
      (r: typeof podSpec) => {
        expect(r.spec.containers.map((c) => c.image)).toEqual(['nginx:1.27', 'busybox:1.36']);
        expect(r.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }]);
      },
    ],
    [
      'deletes a list element with $patch: delete',
      { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } },
      (r: typeof podSpec) => expect(r.spec.containers.map((c) => c.name)).toEqual(['app']),
    ],
    [
      'replaces tolerations (no merge strategy), as the real server',
      { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } },
      (r: typeof podSpec) => expect(r.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]),
    ],
    [
      'orders by $setElementOrder and merges ports by containerPort',
      {
        spec: {
          $setElementOrder: undefined,
          '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
          containers: [{ name: 'app', ports: [{ containerPort: 443 }] }],
        },
      },
      (r: typeof podSpec) => {
        expect(r.spec.containers.map((c) => c.name)).toEqual(['sidecar', 'app']);
        expect(r.spec.containers[1].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }]);
      },
    ],
    [
      'replaces a whole list with a $patch: replace element',
      { spec: { volumes: [{ $patch: 'replace' }, { name: 'cfg', configMap: { name: 'x' } }] } },
      (r: typeof podSpec) => expect(r.spec.volumes).toEqual([{ name: 'cfg', configMap: { name: 'x' } }]),
    ],
    [
      'null deletes a key; $retainKeys drops the others',
      { spec: { containers: [{ name: 'sidecar', image: null }], volumes: [{ name: 'data', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/x' } }] } },
      (r: typeof podSpec) => {
        expect(r.spec.containers[1]).toEqual({ name: 'sidecar' });
        expect(r.spec.volumes).toEqual([{ name: 'data', hostPath: { path: '/x' } }]);
      },
    ],
  ])('%s', (_title, patch, check) => {
    const result = applyStrategicMergePatch(podSpec, patch);
    check(result);
    expect(podSpec.spec.containers[0].image).toBe('nginx:1.25');
  });

  it('merges conditions by type and finalizers as a set; $deleteFromPrimitiveList removes values', () => {
    const original = { metadata: { finalizers: ['a', 'b'] }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] } };
    const result = applyStrategicMergePatch(original, {
      metadata: { finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'] },
      status: { conditions: [{ type: 'Ready', status: 'False' }] },
    });
    expect(result.metadata.finalizers).toEqual(['b', 'c']);
    expect(result.status.conditions).toEqual([{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }]);
  });

  it('cordon patch sets and clears spec.unschedulable', () => {
    const cordoned = applyStrategicMergePatch({ spec: {} }, { spec: { unschedulable: true } });
    expect(cordoned).toEqual({ spec: { unschedulable: true } });
    expect(applyStrategicMergePatch(cordoned, { spec: { unschedulable: null } })).toEqual({ spec: {} });
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  it('replaces lists, merges maps and deletes with null', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: null, d: 3 }, l: [3] })).toEqual({ a: { b: 1, d: 3 }, l: [3] });
  });
});
