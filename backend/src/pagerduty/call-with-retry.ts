import { TransientError } from '../domain/errors.js';

// PagerDuty answers 429 when an account or token is over its rate limit and 5xx when it is having a bad moment.
// Both pass; a 4xx other than 429 does not (a bad token, an unknown incident, a rejected body) and is never retried.

/** One HTTP answer as the retry loop sees it. */
export interface HttpAnswer<T = unknown> {
  status: number;
  /** Parsed JSON body, when there was one. */
  data?: T;
  /** The Retry-After header, raw (seconds or an HTTP date). */
  retryAfter?: string | null;
}

/** A PagerDuty call that failed; `retryable` says whether a later attempt may succeed. */
export class PagerDutyCallError extends TransientError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, hint, options);
  }
}

export interface RetryBudget {
  /** Total time the call may take, retries and waits included. */
  maxTotalMs: number;
  /** First wait; doubles on each retry (with jitter), capped by maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for tests; default setTimeout honouring the signal. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudget = { maxTotalMs: 20_000, baseDelayMs: 500, maxDelayMs: 5_000 };

/** True for the answers worth another try: 429 and 5xx (and 408, a timeout at a proxy). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1_000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Runs `attempt` until it returns a 2xx answer, retrying 429/5xx and network errors with capped exponential backoff
 * (Retry-After wins when the server sends it), and never past `maxTotalMs`: a wait that would cross the budget is
 * not started, the last error is thrown instead. A 4xx other than 429 throws at once.
 */
export async function callWithRetry<T>(
  what: string,
  attempt: (signal?: AbortSignal) => Promise<HttpAnswer<T>>,
  budget: RetryBudget = DEFAULT_RETRY_BUDGET,
  signal?: AbortSignal,
): Promise<HttpAnswer<T>> {
  const now = budget.now ?? Date.now;
  const sleep = budget.sleep ?? abortableSleep;
  const random = budget.random ?? Math.random;
  const deadline = now() + budget.maxTotalMs;
  for (let tries = 1; ; tries += 1) {
    signal?.throwIfAborted();
    let failure: PagerDutyCallError;
    let waitMs: number | undefined;
    try {
      const answer = await attempt(signal);
      if (answer.status >= 200 && answer.status < 300) return answer;
      failure = errorFor(what, answer);
      waitMs = parseRetryAfter(answer.retryAfter, now());
    } catch (error) {
      if (signal?.aborted) throw error;
      if (error instanceof PagerDutyCallError) throw error;
      failure = new PagerDutyCallError(`failed to ${what}: ${(error as Error)?.message ?? String(error)}`, undefined, true, 'check network access to PagerDuty', { cause: error });
    }
    if (!failure.retryable) throw failure;
    const backoff = Math.min(budget.maxDelayMs, budget.baseDelayMs * 2 ** (tries - 1));
    const delay = waitMs ?? Math.round(backoff / 2 + (random() * backoff) / 2);
    if (now() + delay >= deadline) {
      throw new PagerDutyCallError(`${failure.message} (gave up after ${tries} tries)`, failure.status, true, failure.hint, { cause: failure });
    }
    await sleep(delay, signal);
  }
}

function errorFor(what: string, answer: HttpAnswer): PagerDutyCallError {
  const body = answer.data as { error?: { message?: string; errors?: unknown } } | undefined;
  const detail = [body?.error?.message, Array.isArray(body?.error?.errors) ? body.error.errors.join('; ') : undefined].filter(Boolean).join(': ');
  const hint =
    answer.status === 401 ? 'check PAGERDUTY_API_TOKEN'
    : answer.status === 403 ? 'the token may be read-only, or PAGERDUTY_FROM_EMAIL is not a user who may change this incident'
    : answer.status === 404 ? 'the incident may have been deleted or belongs to another account'
    : undefined;
  return new PagerDutyCallError(`failed to ${what}: HTTP ${answer.status}${detail ? ` ${detail.slice(0, 300)}` : ''}`, answer.status, isRetryableStatus(answer.status), hint);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
