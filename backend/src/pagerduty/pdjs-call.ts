import { api } from '@pagerduty/pdjs';
import type { HttpAnswer } from './call-with-retry.js';

type PdjsResponse = Response & { data?: unknown };

export interface PdjsRequest {
  token: string;
  /** Full URL: pdjs's `server` option always means https://<host>, a URL reaches any base (proxy, fake server). */
  url: string;
  method: 'GET' | 'POST' | 'PUT';
  /** Query parameters for GET, the JSON body otherwise. */
  data?: Record<string, unknown>;
  /** PagerDuty requires From (a user's email) on writes made with an account-level token. */
  from?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One REST call through pdjs, turned into an HttpAnswer. pdjs resolves on every HTTP status (it never rejects on
 * 4xx/5xx), so the caller reads `status`; it rejects only when the network fails or a body is not JSON.
 * pdjs itself retries a 429 up to three times after `retryTimeout`; that is kept short so our own budget
 * (callWithRetry, which honours Retry-After) stays in charge of the total time.
 */
export async function callPdjs(request: PdjsRequest): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = (await api({
      token: request.token,
      url: request.url,
      method: request.method,
      data: request.data,
      headers: request.from ? { From: request.from } : {},
      signal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout,
      retryTimeout: 500,
    })) as PdjsResponse;
    return { status: response.status, data: response.data, retryAfter: response.headers?.get('retry-after') };
  } catch (error) {
    // pdjs rejects with the Response itself when the body is not JSON (a proxy's HTML 502, an empty 503).
    const status = (error as { status?: unknown })?.status;
    if (typeof status === 'number') return { status, retryAfter: (error as Response).headers?.get?.('retry-after') };
    throw error;
  }
}
