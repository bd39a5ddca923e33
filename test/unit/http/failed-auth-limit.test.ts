import { describe, expect, it } from 'vitest';
import { createFailedAuthLimit } from '../../../backend/src/http/failed-auth-limit.js';

describe('createFailedAuthLimit', () => {
  it('refuses an address after maxFailures wrong secrets, for the rest of its window only', () => {
    const limit = createFailedAuthLimit({ maxFailures: 3, windowMs: 60_000 });
    expect(limit.recordFailure('10.0.0.1', 0)).toBe(false);
    expect(limit.recordFailure('10.0.0.1', 1_000)).toBe(false);
    expect(limit.retryAfterSeconds('10.0.0.1', 1_000)).toBe(0);
    expect(limit.recordFailure('10.0.0.1', 2_000)).toBe(true);
    expect(limit.retryAfterSeconds('10.0.0.1', 2_000)).toBe(58);
    expect(limit.retryAfterSeconds('10.0.0.2', 2_000)).toBe(0);
    expect(limit.retryAfterSeconds('10.0.0.1', 59_999)).toBe(1);
    expect(limit.retryAfterSeconds('10.0.0.1', 60_000)).toBe(0);
    // A new window starts from nothing.
    expect(limit.recordFailure('10.0.0.1', 60_000)).toBe(false);
    expect(limit.retryAfterSeconds('10.0.0.1', 60_001)).toBe(0);
  });

  it('remembers at most maxTracked addresses, forgetting the oldest first', () => {
    const limit = createFailedAuthLimit({ maxFailures: 1, windowMs: 60_000, maxTracked: 2 });
    limit.recordFailure('a', 0);
    limit.recordFailure('b', 0);
    limit.recordFailure('c', 0);
    expect(limit.retryAfterSeconds('a', 1)).toBe(0);
    expect(limit.retryAfterSeconds('b', 1)).toBeGreaterThan(0);
    expect(limit.retryAfterSeconds('c', 1)).toBeGreaterThan(0);
  });
});
