import { describe, expect, it } from 'vitest';
import { describeApiFailure } from '../../../backend/src/cluster/cluster-read-error.js';
import { networkCause } from '../../../backend/src/cluster/probe-cluster.js';

describe('cluster failures name their cause', () => {
  it("client-node's TLS refusal of its no-kubeconfig fallback says there is no cluster configured", () => {
    const message = describeApiFailure(new Error('HTTP protocol is not allowed when skipTLSVerify is not set or false'));
    expect(message).toMatch(/^no cluster configured \(KUBECONFIG is unset, ~\/\.kube\/config does not exist and this is not a pod\)/);
  });

  it('finds the network cause inside wrapped fetch errors', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6553'), { code: 'ECONNREFUSED' });
    expect(networkCause(new Error('request to https://127.0.0.1:6553/version failed', { cause: inner }))).toBe('connect ECONNREFUSED 127.0.0.1:6553');
    expect(networkCause(Object.assign(new Error('x'), { code: 'ENOTFOUND', syscall: 'getaddrinfo' }))).toBe('ENOTFOUND (getaddrinfo)');
  });
});
