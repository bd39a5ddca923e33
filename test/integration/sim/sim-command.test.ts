// `oncall-agent sim` as a user runs it: writes the kubeconfig, serves kubectl, stops cleanly on SIGTERM.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';

describe('oncall-agent sim', () => {
  it('prints the kubeconfig path, answers kubectl, and exits 0 on SIGTERM', async () => {
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'sim-cli-')), 'kubeconfig');
    const child = execa('node', ['bin/oncall-agent.js', 'sim', '--kubeconfig', kubeconfig, '--nodes', '2'], { reject: false });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    try {
      await eventually(() => out.includes(`kubeconfig: ${kubeconfig}`), 30_000);
      const kubectl = kubectlFor(kubeconfig);
      const nodes = await eventually(async () => {
        const text = await kubectl.ok(['get', 'nodes']);
        return text.split('\n').filter((l) => / Ready /.test(l)).length === 2 ? text : undefined;
      });
      expect(nodes).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/m);
      expect((await kubectl.ok(['config', 'current-context'])).trim()).toBe('kube-sim');
    } finally {
      child.kill('SIGTERM');
    }
    const result = await child;
    expect(result.exitCode).toBe(0);
  });

  it('rejects a bad option with a clear message', async () => {
    const result = await execa('node', ['bin/oncall-agent.js', 'sim', '--speed', 'fast'], { reject: false });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('--speed must be a positive number, got "fast"');
  });
});
