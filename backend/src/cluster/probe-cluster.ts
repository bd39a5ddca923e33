// Before `oncall-agent plan` diagnoses anything: is there a cluster at all, and does it answer? Said with the cause
// (connect ECONNREFUSED 127.0.0.1:6553, the KUBECONFIG it came from), instead of a diagnosis that escalates because
// "the cluster could not be read".
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VersionApi } from '@kubernetes/client-node';
import { ConfigError, TransientError } from '../domain/errors.js';
import { statusCodeOf } from './cluster-read-error.js';
import { createKubeConfig, type KubeConfigSettings } from './create-kube-config.js';

/**
 * Why no cluster is configured, in the words `serve` uses, or undefined when one is (a KUBECONFIG, a pod's service
 * account, or ~/.kube/config).
 */
export function missingClusterReason(settings: KubeConfigSettings, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (settings.KUBECONFIG || env.KUBERNETES_SERVICE_HOST || existsSync(join(env.HOME || homedir(), '.kube', 'config'))) return undefined;
  return 'no cluster configured: KUBECONFIG is unset, ~/.kube/config does not exist and this is not a pod';
}

/** The network cause inside a client-node / fetch error: "connect ECONNREFUSED 127.0.0.1:6553", "getaddrinfo ENOTFOUND x". */
export function networkCause(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const message = (e as Error).message ?? '';
    const m = /\b((?:connect|getaddrinfo|read|write)\s+E[A-Z]+\b[^\n,]*)/.exec(message);
    if (m) return m[1].trim();
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('E')) return `${code}${(e as NodeJS.ErrnoException).syscall ? ` (${(e as NodeJS.ErrnoException).syscall})` : ''}`;
  }
  const name = (error as { name?: string } | null)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') return 'no answer in time (CLUSTER_READ_TIMEOUT_MS)';
  return ((error as Error)?.message ?? String(error)).split('\n')[0];
}

/**
 * Throws ConfigError when no cluster is configured, TransientError naming the cause when the API server does not
 * answer. Any HTTP answer (even 401/403) means it is reachable: permissions are the diagnosis's to report.
 */
export async function probeCluster(settings: KubeConfigSettings & { CLUSTER_READ_TIMEOUT_MS: number }, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const missing = missingClusterReason(settings, env);
  if (missing) throw new ConfigError(missing, 'set KUBECONFIG, or try the simulator: `oncall-agent sim`, then KUBECONFIG=<the kubeconfig it prints>');
  const kc = createKubeConfig(settings, env);
  const where = settings.KUBECONFIG ? `KUBECONFIG=${settings.KUBECONFIG}` : env.KUBERNETES_SERVICE_HOST ? 'in-cluster service account' : `${join(env.HOME || homedir(), '.kube', 'config')}`;
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new ConfigError(`invalid configuration: KUBECONFIG: the current context names no cluster server (${where})`);
  const api = kc.makeApiClient(VersionApi);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), settings.CLUSTER_READ_TIMEOUT_MS);
  });
  try {
    await Promise.race([api.getCode(), timeout]);
  } catch (error) {
    if (statusCodeOf(error) !== undefined) return;
    throw new TransientError(`cluster unreachable at ${server}: ${networkCause(error)} (${where})`, 'check that the API server is up and that the kubeconfig points at it');
  } finally {
    clearTimeout(timer);
  }
}
