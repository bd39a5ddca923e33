import { describe, expect, it } from 'vitest';
import type { PagerDutyCallError} from '../../../backend/src/pagerduty/call-with-retry.js';
import { callWithRetry, parseRetryAfter, type HttpAnswer } from '../../../backend/src/pagerduty/call-with-retry.js';

/** A virtual clock: sleep advances it, so the budget logic is tested without waiting. */
function clock() {
  let t = 1_000_000;
  const waits: number[] = [];
  return { now: () => t, sleep: async (ms: number) => void (waits.push(ms), (t += ms)), waits, random: () => 0.5 };
}

function script(...answers: Array<HttpAnswer | Error>) {
  let i = 0;
  const calls: number[] = [];
  return {
    calls,
    attempt: async () => {
      calls.push(i);
      const a = answers[Math.min(i++, answers.length - 1)];
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

describe('callWithRetry', () => {
  it('returns the first 2xx answer', async () => {
    const c = clock();
    const s = script({ status: 201, data: { ok: 1 } });
    expect((await callWithRetry('x', s.attempt, { maxTotalMs: 10_000, baseDelayMs: 100, maxDelayMs: 1_000, ...c })).data).toEqual({ ok: 1 });
    expect(c.waits).toEqual([]);
  });

  it('honours Retry-After on a 429, in seconds or as a date', async () => {
    const c = clock();
    const s = script({ status: 429, retryAfter: '3' }, { status: 429, retryAfter: new Date(c.now() + 3_000 + 5_000).toUTCString() }, { status: 200 });
    await callWithRetry('x', s.attempt, { maxTotalMs: 60_000, baseDelayMs: 100, maxDelayMs: 1_000, ...c });
    expect(c.waits[0]).toBe(3_000);
    expect(c.waits[1]).toBeGreaterThan(4_000);
  });

  it('backs off exponentially (capped) on 5xx and network errors', async () => {
    const c = clock();
    const s = script({ status: 500 }, new Error('ECONNREFUSED'), { status: 502 }, { status: 503 }, { status: 200 });
    await callWithRetry('x', s.attempt, { maxTotalMs: 60_000, baseDelayMs: 100, maxDelayMs: 300, ...c });
    expect(c.waits).toEqual([75, 150, 225, 225]);
  });

  it('never waits past the budget: it throws the last error instead', async () => {
    const c = clock();
    const s = script({ status: 503 });
    const error = (await callWithRetry('post a note', s.attempt, { maxTotalMs: 1_000, baseDelayMs: 200, maxDelayMs: 400, ...c }).catch((e: unknown) => e)) as PagerDutyCallError;
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^failed to post a note: HTTP 503 \(gave up after \d+ tries\)$/);
    expect(c.waits.reduce((a, b) => a + b, 0)).toBeLessThan(1_000);
  });

  it('a Retry-After longer than the budget is not waited for', async () => {
    const c = clock();
    const s = script({ status: 429, retryAfter: '3600' });
    await expect(callWithRetry('x', s.attempt, { maxTotalMs: 5_000, baseDelayMs: 100, maxDelayMs: 1_000, ...c })).rejects.toThrow(/HTTP 429/);
    expect(c.waits).toEqual([]);
  });

  it('does not retry other 4xx', async () => {
    const c = clock();
    const s = script({ status: 400, data: { error: { message: 'Invalid Input Provided', errors: ['Note content is required'] } } });
    const error = (await callWithRetry('x', s.attempt, { maxTotalMs: 5_000, baseDelayMs: 100, maxDelayMs: 1_000, ...c }).catch((e: unknown) => e)) as PagerDutyCallError;
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('failed to x: HTTP 400 Invalid Input Provided: Note content is required');
    expect(s.calls).toHaveLength(1);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutdown'));
    await expect(callWithRetry('x', script({ status: 200 }).attempt, undefined, controller.signal)).rejects.toThrow('shutdown');
  });

  it('parses Retry-After forms', () => {
    expect(parseRetryAfter('2', 0)).toBe(2_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
  });
});
