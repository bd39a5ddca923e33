import { AgentError } from '../domain/errors.js';

/** A read from the API server failed for a reason other than "not found". */
export class ClusterReadError extends AgentError {
  constructor(
    message: string,
    /** HTTP status from the API server; undefined for network failures. */
    readonly statusCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, statusCode === 401 || statusCode === 403 ? 'check the agent’s RBAC: it needs get/list/watch on this resource' : undefined, options);
  }

  /** Network failures, throttling and server errors are worth a retry; 4xx are not. */
  get transient(): boolean {
    return this.statusCode === undefined || this.statusCode === 429 || this.statusCode >= 500;
  }
}

/** The status code of a client-node ApiException (or undefined for network errors). */
export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

export const NO_CLUSTER_OR_HTTP =
  'no cluster configured (KUBECONFIG is unset, ~/.kube/config does not exist and this is not a pod), or the kubeconfig names a plain http:// server, which the client refuses without insecure-skip-tls-verify';

/** One line describing an API failure, without echoing headers (they may carry tokens). */
export function describeApiFailure(error: unknown): string {
  const status = statusCodeOf(error);
  if (status === undefined) {
    const name = (error as { name?: unknown } | null)?.name;
    // The per-read deadline (an AbortSignal) surfaces as an abort; say what it means.
    if (name === 'AbortError' || name === 'TimeoutError') return 'timed out waiting for the API server (CLUSTER_READ_TIMEOUT_MS)';
    const message = (error as Error)?.message?.split('\n')[0] ?? String(error);
    // client-node's fallback cluster when there is no kubeconfig at all is http://localhost:8080, which it then refuses
    // with a TLS message: say what is actually wrong.
    if (/HTTP protocol is not allowed when skipTLSVerify/.test(message)) return NO_CLUSTER_OR_HTTP;
    return message;
  }
  const body = (error as { body?: unknown }).body;
  let message: string | undefined;
  if (typeof body === 'string') {
    try {
      message = (JSON.parse(body) as { message?: string }).message;
    } catch {
      message = body.slice(0, 200);
    }
  } else if (body && typeof body === 'object') {
    message = (body as { message?: string }).message;
  }
  return `${status}${message ? ` ${message}` : ''}`;
}
