// A pod's effective request, as the scheduler counts it: max(largest init container, sum of main containers), with
// native sidecars counted beside every later init container and the main containers, plus overhead.
import { describe, expect, it } from 'vitest';
import { effectiveRequest } from '../../../backend/src/kube/pod-requests.js';
import { sumOtherRequests, sumRequests } from '../../../backend/src/tools/check-node-capacity.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';

const c = (name: string, requests: Record<string, string>, extra: Record<string, unknown> = {}) => ({ name, resources: { requests }, ...extra });

describe('effectiveRequest', () => {
  it.each([
    ['main containers only: their sum', { containers: [c('a', { cpu: '100m' }), c('b', { cpu: '200m' })] }, 'cpu', 300],
    ['an init container larger than the main sum wins', { initContainers: [c('i', { cpu: '1' })], containers: [c('a', { cpu: '100m' })] }, 'cpu', 1000],
    ['a smaller init container does not add', { initContainers: [c('i', { memory: '64Mi' })], containers: [c('a', { memory: '256Mi' })] }, 'memory', 256],
    ['a native sidecar adds to the main containers', { initContainers: [c('proxy', { cpu: '100m' }, { restartPolicy: 'Always' })], containers: [c('a', { cpu: '200m' })] }, 'cpu', 300],
    ['a native sidecar runs beside the init containers after it', { initContainers: [c('proxy', { cpu: '300m' }, { restartPolicy: 'Always' }), c('migrate', { cpu: '1' })], containers: [c('a', { cpu: '100m' })] }, 'cpu', 1300],
    ['an unset request defaults to the limit (extended resources)', { containers: [{ name: 'a', resources: { limits: { 'nvidia.com/gpu': '1' } } }] }, 'nvidia.com/gpu', 1],
    ['overhead is added', { containers: [c('a', { cpu: '100m' })], overhead: { cpu: '50m' } }, 'cpu', 150],
  ])('%s', (_name, spec, resource, amount) => {
    expect(effectiveRequest(spec, resource).amount).toBe(amount);
  });

  it('says whether any container names the resource', () => {
    expect(effectiveRequest({ containers: [c('a', { cpu: '1' })] }, 'nvidia.com/gpu')).toEqual({ amount: 0, named: false });
  });

  it('node sums use the effective request and count extended resources', () => {
    const pod = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'p' }, spec });
    const pods = [pod({ initContainers: [c('i', { cpu: '2' })], containers: [c('a', { cpu: '100m', 'nvidia.com/gpu': '1' })] }), pod({ containers: [c('b', { cpu: '100m', 'nvidia.com/gpu': '2' })] })];
    expect(sumRequests(pods)).toEqual({ cpuMillis: 2100, memoryMi: 0, pods: 2 });
    expect(sumOtherRequests(pods)).toEqual({ 'nvidia.com/gpu': 3 });
    expect(sumOtherRequests([pod({ containers: [c('a', { cpu: '1' })] })])).toBeUndefined();
  });
});
