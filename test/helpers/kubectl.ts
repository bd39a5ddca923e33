// Runs the real kubectl against a kube-sim (argv, never a shell), with a fresh --cache-dir per sim so discovery
// is fetched from that sim and not from another test's cache.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface Kubectl {
  /** Runs kubectl; never throws on a non-zero exit (check exitCode). */
  run(args: string[], options?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** Runs kubectl and throws with stderr when it exits non-zero. */
  ok(args: string[], options?: { input?: string; timeoutMs?: number }): Promise<string>;
  readonly kubeconfigPath: string;
  readonly cacheDir: string;
}

export function kubectlFor(kubeconfigPath: string): Kubectl {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  const run = async (args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> => {
    const result = await execa('kubectl', ['--kubeconfig', kubeconfigPath, '--cache-dir', cacheDir, ...args], {
      input: options.input,
      reject: false,
      timeout: options.timeoutMs ?? 30_000,
      env: { KUBECONFIG: kubeconfigPath, KUBECTL_KUBERC: 'false' },
      extendEnv: true,
    });
    return { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), exitCode: result.exitCode ?? -1 };
  };
  return {
    run,
    async ok(args, options) {
      const result = await run(args, options);
      if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}`);
      return result.stdout;
    },
    kubeconfigPath,
    cacheDir,
  };
}

/** Polls `check` until it returns a truthy value or the deadline passes (no fixed sleeps in tests). */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
