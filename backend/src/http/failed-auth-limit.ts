// Online guessing of APPROVAL_TOKEN or PAGERDUTY_ACTIONS_SECRET: after too many wrong secrets from one client address
// in a window, that address is refused (429) until the window passes, whatever it sends. The secrets are at least 16
// characters, so this is not what keeps them safe; it keeps a guessing client from costing log lines and CPU, and
// makes one visible. Per process: several API replicas each keep their own count.

export interface FailedAuthLimitOptions {
  /** Wrong secrets allowed per window before the address is refused (default 10). */
  maxFailures?: number;
  /** Window length (default 10 minutes). */
  windowMs?: number;
  /** Addresses remembered at most; the oldest are forgotten first (default 10,000). */
  maxTracked?: number;
}

export interface FailedAuthLimit {
  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfterSeconds(address: string, now: number): number;
  /** Records a wrong secret; returns true when this failure is the one that blocks the address. */
  recordFailure(address: string, now: number): boolean;
}

export function createFailedAuthLimit(options: FailedAuthLimitOptions = {}): FailedAuthLimit {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 10 * 60_000;
  const maxTracked = options.maxTracked ?? 10_000;
  // Insertion order is age order: a Map deletes and re-inserts on each new window.
  const windows = new Map<string, { startedAt: number; failures: number }>();

  const current = (address: string, now: number) => {
    const entry = windows.get(address);
    if (entry && now - entry.startedAt < windowMs) return entry;
    if (entry) windows.delete(address);
    return undefined;
  };

  return {
    retryAfterSeconds(address, now) {
      const entry = current(address, now);
      if (!entry || entry.failures < maxFailures) return 0;
      return Math.max(1, Math.ceil((entry.startedAt + windowMs - now) / 1_000));
    },
    recordFailure(address, now) {
      let entry = current(address, now);
      if (!entry) {
        if (windows.size >= maxTracked) windows.delete(windows.keys().next().value as string);
        entry = { startedAt: now, failures: 0 };
        windows.set(address, entry);
      }
      entry.failures += 1;
      return entry.failures === maxFailures;
    },
  };
}
