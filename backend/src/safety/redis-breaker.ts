// Runs a pure breaker step (breaker-policy.ts) against the state in Redis as one optimistic transaction:
// WATCH the key, read it, compute, MULTI/SET/EXEC. EXEC fails when another worker changed the key in between, and the
// step is retried on the fresh state. So every replica sees one serial history of transitions, and the same rules
// run in both adapters. WATCH belongs to a connection, and any EXEC on that connection ends it: so the transactions
// run on a connection of their own (nothing else there can clear or trip the WATCH), one at a time per process.

import type { Redis } from 'ioredis';
import { ensureRedisReady } from '../redis/ensure-ready.js';
import { initialBreakerState } from './breaker-policy.js';
import type { BreakerState } from './safety-store.js';

const MAX_ATTEMPTS = 100;

export class RedisBreakerTransactions {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: Redis,
    private readonly keyFor: (scope: string) => string,
    private readonly indexKey: string,
  ) {}

  /** Reads without writing (a timed open→half-open is derived on read, not stored). */
  async read(scope: string): Promise<BreakerState> {
    await ensureRedisReady(this.client);
    return parseBreaker(scope, await this.client.get(this.keyFor(scope)));
  }

  async readMany(scopes: string[]): Promise<BreakerState[]> {
    if (scopes.length === 0) return [];
    await ensureRedisReady(this.client);
    const values = await this.client.mget(...scopes.map((s) => this.keyFor(s)));
    return scopes.map((scope, i) => parseBreaker(scope, values[i]));
  }

  async scopes(): Promise<string[]> {
    await ensureRedisReady(this.client);
    return (await this.client.smembers(this.indexKey)).sort();
  }

  /** Applies `step` atomically; `step` must be pure (it may run several times). */
  run<T>(scope: string, step: (state: BreakerState) => { state: BreakerState; result: T }): Promise<T> {
    const next = this.queue.then(() => this.attempt(scope, step));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async attempt<T>(scope: string, step: (state: BreakerState) => { state: BreakerState; result: T }): Promise<T> {
    const key = this.keyFor(scope);
    await ensureRedisReady(this.client);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      await this.client.watch(key);
      let outcome: { state: BreakerState; result: T };
      let before: string | null;
      try {
        before = await this.client.get(key);
        outcome = step(parseBreaker(scope, before));
      } catch (error) {
        await this.client.unwatch().catch(() => undefined);
        throw error;
      }
      const after = JSON.stringify(outcome.state);
      if (before === after) {
        await this.client.unwatch();
        return outcome.result;
      }
      const committed = await this.client.multi().set(key, after).sadd(this.indexKey, scope).exec();
      if (committed) return outcome.result;
      // Another replica changed the breaker between our read and write: back off a little and re-run on fresh state.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 + attempt, 20)));
    }
    throw new Error(`breaker ${scope}: too much contention (${MAX_ATTEMPTS} attempts)`);
  }
}

function parseBreaker(scope: string, raw: string | null | undefined): BreakerState {
  if (!raw) return initialBreakerState(scope);
  try {
    const parsed = JSON.parse(raw) as BreakerState;
    if (parsed && (parsed.state === 'closed' || parsed.state === 'open' || parsed.state === 'half-open')) return { ...parsed, scope };
  } catch {
    // fall through
  }
  // Corrupt state fails closed: treat the scope as just opened, so it half-opens after the usual wait.
  return { scope, state: 'open', consecutiveFailures: 0, consecutiveSuccesses: 0, openedAt: Date.now(), trialInFlight: false };
}
