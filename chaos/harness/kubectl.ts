// The harness's one way to run kubectl and the scenario scripts: argv (never a shell string), KUBECONFIG set, bounded.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface Kubectl {
  /** Runs kubectl and throws with its stderr when it exits non-zero. */
  ok(args: string[], options?: { timeoutMs?: number; maxBuffer?: number }): Promise<string>;
  readonly env: Record<string, string>;
}

/** kubectl against `kubeconfig` (undefined: the KUBECONFIG of this process), with its own discovery cache. */
export function kubectlFor(kubeconfig: string | undefined): Kubectl {
  const cacheDir = mkdtempSync(join(tmpdir(), 'chaos-kubectl-cache-'));
  const env: Record<string, string> = { KUBECTL_KUBERC: 'false', ...(kubeconfig ? { KUBECONFIG: kubeconfig } : {}) };
  return {
    env,
    async ok(args, options = {}) {
      const result = await execa('kubectl', ['--cache-dir', cacheDir, ...args], {
        env,
        extendEnv: true,
        reject: false,
        timeout: options.timeoutMs ?? 30_000,
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
      });
      if (result.exitCode !== 0) {
        const why = result.timedOut ? 'timed out' : `exited ${result.exitCode}`;
        throw new Error(`kubectl ${args.slice(0, 3).join(' ')} ${why}: ${String(result.stderr ?? '').trim().split('\n').slice(-2).join(' ')}`);
      }
      return String(result.stdout ?? '');
    },
  };
}

export interface ScriptResult {
  ok: boolean;
  exitCode: number;
  /** The last lines of stdout+stderr, for the report. */
  tail: string;
  ms: number;
}

/** Runs a scenario script with bash, bounded by `timeoutMs` (its process group is killed past it). */
export async function runScript(path: string, env: Record<string, string>, timeoutMs: number): Promise<ScriptResult> {
  const started = Date.now();
  const result = await execa('bash', [path], { env, extendEnv: true, reject: false, timeout: timeoutMs, all: true, cleanup: true, killSignal: 'SIGKILL' });
  const lines = String(result.all ?? '').trim().split('\n').filter(Boolean);
  const tail = (result.timedOut ? [...lines.slice(-2), `timed out after ${Math.round(timeoutMs / 1000)} s`] : lines.slice(-3)).join(' | ');
  return { ok: result.exitCode === 0 && !result.timedOut, exitCode: result.exitCode ?? -1, tail, ms: Date.now() - started };
}
