// `oncall-agent sim` with no options: the same kubeconfig path as `serve --sim` (STATE_DIR/kube-sim/kubeconfig), the
// healthy demo workloads seeded, and the README's hint for pointing a daemon at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'oncall-agent.js');
const cwd = mkdtempSync(join(tmpdir(), 'sim-defaults-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('oncall-agent sim defaults', () => {
  it('writes the kubeconfig where serve --sim does and seeds namespace demo with healthy workloads', async () => {
    const child = execa(process.execPath, [bin, 'sim', '--nodes', '2'], { cwd, reject: false, extendEnv: false, env: { PATH: process.env.PATH ?? '', HOME: cwd } });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    const kubeconfig = join(cwd, '.oncall-agent', 'kube-sim', 'kubeconfig');
    try {
      await eventually(() => out.includes(`kubeconfig: ${kubeconfig}`), 60_000);
      expect(out).toMatch(/demo workloads \(healthy, namespace demo\): deployment\/web, deployment\/api, deployment\/worker/);
      expect(out).toContain(`KUBECONFIG=${kubeconfig} oncall-agent serve`);
      const kubectl = kubectlFor(kubeconfig);
      const deployments = await eventually(async () => {
        const text = await kubectl.ok(['-n', 'demo', 'get', 'deployments']);
        return /web\s+2\/2/.test(text) && /api\s+2\/2/.test(text) && /worker\s+1\/1/.test(text) ? text : undefined;
      }, 60_000, 500);
      expect(deployments).toMatch(/^NAME\s+READY/);
      expect(await kubectl.ok(['-n', 'demo', 'get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[0].addresses[*].ip}'])).toMatch(/\S+ \S+/);
    } finally {
      child.kill('SIGTERM');
    }
    expect((await child).exitCode).toBe(0);
  }, 120_000);
});
