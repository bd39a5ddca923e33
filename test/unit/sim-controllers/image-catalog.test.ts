import { describe, expect, it } from 'vitest';
import { createImageCatalog, defaultPullPolicy, formatPullFailure, parseImageRef } from '../../../chaos/sim/kubelet/image-catalog.js';

const catalog = createImageCatalog();

describe('image catalog', () => {
  it.each([
    'nginx',
    'nginx:latest',
    'nginx:1.25',
    'nginx:1.25.4',
    'nginx:1.25-alpine',
    'nginx:stable-alpine',
    'nginx:mainline',
    'docker.io/library/nginx:1.27',
    'library/redis:7',
    'redis:7.2-bookworm',
    'busybox:1.36',
    'busybox:musl',
    'postgres:16',
    'postgres:16.2',
    'postgres:9.6',
    'postgres:17-alpine',
    'polinux/stress',
    'registry.k8s.io/pause:3.9',
    'sim.local/anything/at-all:v9000',
    'nginx@sha256:0123456789abcdef',
  ])('%s exists', (image) => {
    expect(catalog.pull(image)).toEqual({ ok: true });
  });

  it.each([
    'nginx:does-not-exist',
    'nginx:1.25-nonexistent',
    'nginx:invalid',
    'nginx:100',
    'nginx:1.250',
    'nginx:9.1',
    'redis:12',
    'postgres:9.5',
    'postgres:18',
    'ghcr.io/someone/thing:1',
    'sim.local/app:nonexistent',
  ])('%s is NotFound', (image) => {
    const result = catalog.pull(image);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe('NotFound');
  });

  it.each(['myorg/unknown-app:1.0', 'nginxx:1.25', 'library/nginxx', 'acme/nonexistent:1', 'acme/app@sha256:0123456789abcdef'])(
    '%s, a repository Docker Hub does not have, is refused like a private one',
    (image) => {
      const result = catalog.pull(image);
      expect(result).toMatchObject({ ok: false, code: 'Unknown' });
      if (!result.ok) expect(result.message).toMatch(/: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed$/);
    },
  );

  it('formats the access-denied failure like containerd', () => {
    const result = catalog.pull('acme-internal/payments:2.4');
    if (result.ok) throw new Error('expected a failure');
    expect(formatPullFailure('acme-internal/payments:2.4', result)).toBe(
      'Failed to pull image "acme-internal/payments:2.4": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/acme-internal/payments:2.4": failed to resolve reference "docker.io/acme-internal/payments:2.4": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
  });

  it('reports unknown hosts under .invalid as a DNS failure', () => {
    const result = catalog.pull('registry.invalid/app:1.0');
    expect(result).toMatchObject({ ok: false, code: 'Unknown' });
    if (!result.ok) {
      expect(result.message).toContain('lookup registry.invalid: no such host');
      expect(formatPullFailure('registry.invalid/app:1.0', result)).toMatch(/^Failed to pull image "registry.invalid\/app:1.0": rpc error: code = Unknown desc = /);
    }
  });

  it('formats the NotFound failure like containerd', () => {
    const result = catalog.pull('nginx:does-not-exist');
    if (result.ok) throw new Error('expected a failure');
    expect(formatPullFailure('nginx:does-not-exist', result)).toBe(
      'Failed to pull image "nginx:does-not-exist": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:does-not-exist": failed to resolve reference "docker.io/library/nginx:does-not-exist": docker.io/library/nginx:does-not-exist: not found',
    );
  });

  it('is configurable', () => {
    const custom = createImageCatalog({ extraImages: ['myorg/app:2.0'], extraRepositories: ['ghcr.io/acme/api'] });
    expect(custom.pull('myorg/app:2.0').ok).toBe(true);
    expect(custom.pull('myorg/app:3.0').ok).toBe(false);
    expect(custom.pull('ghcr.io/acme/api:1.4').ok).toBe(true);
  });

  it('normalises references and pull policy', () => {
    expect(parseImageRef('nginx').canonical).toBe('docker.io/library/nginx:latest');
    expect(parseImageRef('localhost:5000/app:1').host).toBe('localhost:5000');
    expect(defaultPullPolicy('nginx')).toBe('Always');
    expect(defaultPullPolicy('nginx:latest')).toBe('Always');
    expect(defaultPullPolicy('nginx:1.25')).toBe('IfNotPresent');
  });
});
