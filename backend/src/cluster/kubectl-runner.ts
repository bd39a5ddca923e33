// The only importer of execa. kubectl runs from an argv array, never through a shell, with the agent's own
// kubeconfig/context pinned in front of whatever the caller passes.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { PolicyRefusal } from '../domain/errors.js';
import type { KubectlResult, KubectlRunner } from '../domain/ports.js';
import { redactText } from '../redaction/redact.js';

export interface KubectlRunnerOptions {
  /** KUBECTL_PATH */
  kubectlPath: string;
  /** KUBECONFIG: the agent's own credentials, never the model's. */
  kubeconfig?: string;
  /** KUBE_CONTEXT */
  context?: string;
  /** KUBECTL_TIMEOUT_MS: default per call. */
  timeoutMs: number;
  /** KUBECTL_MAX_OUTPUT_BYTES: per stream; the process is stopped and the output cut when it is reached. */
  maxOutputBytes: number;
  /** Discovery cache; defaults to one directory per process so concurrent agents never share a half-written cache. */
  cacheDir?: string;
  /** Extra environment for kubectl (e.g. proxy settings). Never the agent's own secrets. */
  env?: Record<string, string>;
}

/**
 * Flags that would point kubectl at other credentials or another cluster. The risk scorer forbids them; the runner
 * refuses them again so that no caller (model text, a bug, a future code path) can ever override the pinned target.
 */
const TARGET_OVERRIDE_FLAGS = [
  '--kubeconfig',
  '--context',
  '--cluster',
  '--server',
  '--token',
  '--user',
  '--username',
  '--password',
  '--as',
  '--as-group',
  '--as-uid',
  '--certificate-authority',
  '--client-key',
  '--client-certificate',
  '--insecure-skip-tls-verify',
  '--tls-server-name',
  '--cache-dir',
];

/** Environment variables kubectl legitimately needs; everything else (API keys, PagerDuty tokens…) stays behind. */
const PASSED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy'];

/** Throws PolicyRefusal when an argument tries to change kubectl's target or credentials. */
export function assertNoTargetOverride(args: readonly string[]): void {
  for (const arg of args) {
    if (arg === '--') return; // pflag stops parsing flags here: what follows is data (e.g. exec's command)
    const lower = arg.toLowerCase();
    const name = lower.split('=')[0];
    if (TARGET_OVERRIDE_FLAGS.includes(name) || /^-s($|=|[^-])/.test(arg)) {
      throw new PolicyRefusal(`kubectl argument "${arg.slice(0, 40)}" would override the agent's cluster or credentials`, 'the agent pins --kubeconfig and --context from its own configuration');
    }
  }
}

/** Builds the full argv: pinned globals first, then the caller's arguments. Exported for tests. */
export function buildKubectlArgv(options: Pick<KubectlRunnerOptions, 'kubeconfig' | 'context'>, cacheDir: string, args: readonly string[]): string[] {
  assertNoTargetOverride(args);
  const pinned: string[] = [];
  // KUBECONFIG may be a path list; --kubeconfig takes one file, the first (as the client-node reader does).
  const kubeconfig = options.kubeconfig?.split(delimiter).find(Boolean);
  if (kubeconfig) pinned.push(`--kubeconfig=${kubeconfig}`);
  if (options.context) pinned.push(`--context=${options.context}`);
  pinned.push(`--cache-dir=${cacheDir}`);
  return [...pinned, ...args];
}

export function buildKubectlEnv(source: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_ENV) {
    const value = source[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

/** The KubectlRunner adapter over execa. */
export function createKubectlRunner(options: KubectlRunnerOptions): KubectlRunner {
  const cacheDir = options.cacheDir ?? join(tmpdir(), `oncall-agent-kubectl-cache-${process.pid}`);
  mkdirSync(cacheDir, { recursive: true });
  const env = buildKubectlEnv(process.env, options.env);

  return {
    async run(args, runOptions = {}): Promise<KubectlResult> {
      const argv = buildKubectlArgv(options, cacheDir, args);
      const timeoutMs = runOptions.timeoutMs ?? options.timeoutMs;
      const subprocess = execa(options.kubectlPath, argv, {
        shell: false,
        reject: false,
        extendEnv: false,
        env,
        timeout: timeoutMs,
        cancelSignal: runOptions.signal,
        forceKillAfterDelay: 2_000,
        maxBuffer: options.maxOutputBytes,
        input: runOptions.stdin ?? '',
        stripFinalNewline: false,
        encoding: 'utf8',
        // Its own process group, so that what kubectl starts (exec credential plugins) can be stopped with it.
        detached: true,
      });
      // Killing kubectl at the timeout leaves its children (a hanging credential plugin) holding our pipes open, and
      // the call would wait for them: once kubectl is gone, or past the deadline, the whole group goes.
      const killGroup = () => {
        try {
          if (subprocess.pid) process.kill(-subprocess.pid, 'SIGKILL');
        } catch {
          // the group is already gone
        }
      };
      let lingering: NodeJS.Timeout | undefined;
      subprocess.once('exit', () => (lingering = setTimeout(killGroup, 1_000)));
      const hardStop = setTimeout(killGroup, timeoutMs + 5_000);
      const result = await subprocess.finally(() => {
        clearTimeout(lingering);
        clearTimeout(hardStop);
      });
      const stdout = typeof result.stdout === 'string' ? result.stdout : '';
      let stderr = typeof result.stderr === 'string' ? result.stderr : '';
      if (result.failed && result.exitCode === undefined && !result.timedOut && !result.isMaxBuffer && !result.isCanceled) {
        // kubectl could not be started at all (ENOENT, EACCES): say so instead of an empty stderr.
        stderr = `${stderr}${stderr ? '\n' : ''}cannot run ${options.kubectlPath}: ${result.shortMessage ?? result.message ?? 'unknown error'}`;
      }
      if (result.isCanceled) stderr = `${stderr}${stderr ? '\n' : ''}kubectl was cancelled`;
      if (result.timedOut) stderr = `${stderr}${stderr ? '\n' : ''}kubectl timed out`;
      if (result.isMaxBuffer) stderr = `${stderr}${stderr ? '\n' : ''}kubectl output exceeded ${options.maxOutputBytes} bytes (KUBECTL_MAX_OUTPUT_BYTES): stopped and cut`;
      return {
        // No exit code: killed (timeout 124, output cap or cancel 137) or never started (127).
        exitCode: result.exitCode ?? (result.timedOut ? 124 : result.isMaxBuffer || result.isCanceled ? 137 : 127),
        stdout,
        // stderr only ever becomes messages (errors, logs, audit, escalation text): redacted once, here, for all of
        // them. stdout stays whole: callers parse it (-o json) and redact what they keep.
        stderr: redactText(stderr),
        durationMs: Math.round(result.durationMs),
        timedOut: Boolean(result.timedOut),
        truncated: Boolean(result.isMaxBuffer),
      };
    },
  };
}
