// The ledger in Redis: one hash per action (a field per stage, each written once or overwritten by its own stage), and
// one set per incident naming its actions. HSETNX makes the intent, the re-run and the breaker count atomic claims.
import type { Redis } from 'ioredis';
import { TransientError } from '../domain/errors.js';
import { ensureRedisReady } from '../redis/ensure-ready.js';
import type { ActionLedger, LedgerEntry, LedgerField, LedgerIntent, LedgerRerun } from './action-ledger.js';
import { sortEntries } from './action-ledger.js';

export class RedisActionLedger implements ActionLedger {
  constructor(
    private readonly client: Redis,
    private readonly options: { prefix: string; ownsClient?: boolean },
  ) {}

  private entryKey(key: string): string {
    return `${this.options.prefix}ledger:${key}`;
  }

  private indexKey(incidentId: string): string {
    return `${this.options.prefix}ledger-incident:${incidentId}`;
  }

  /** Waits for the connection (a fresh client), and names the ledger in any failure. */
  private async guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      await ensureRedisReady(this.client);
      return await fn();
    } catch (error) {
      throw new TransientError(`action ledger (redis) ${operation} failed: ${(error as Error).message}`, 'check that Redis at REDIS_URL is up', { cause: error });
    }
  }

  claimIntent(key: string, intent: LedgerIntent, ttlMs: number): Promise<boolean> {
    return this.guard('claimIntent', () => this.claimIntentNow(key, intent, ttlMs));
  }

  private async claimIntentNow(key: string, intent: LedgerIntent, ttlMs: number): Promise<boolean> {
    const k = this.entryKey(key);
    const index = this.indexKey(intent.incidentId);
    const results = await this.client
      .multi()
      .hsetnx(k, 'intent', JSON.stringify(intent))
      .pexpire(k, ttlMs)
      .sadd(index, key)
      .pexpire(index, ttlMs)
      .exec();
    if (!results) throw new Error('the ledger transaction was aborted');
    const [error, claimed] = results[0];
    if (error) throw error;
    return claimed === 1;
  }

  record(key: string, field: LedgerField, value: object): Promise<void> {
    return this.guard(`record ${field}`, async () => {
      await this.client.hset(this.entryKey(key), field, JSON.stringify(value));
    });
  }

  claimRerun(key: string, rerun: LedgerRerun): Promise<boolean> {
    return this.guard('claimRerun', async () => (await this.client.hsetnx(this.entryKey(key), 'rerun', JSON.stringify(rerun))) === 1);
  }

  claimBreakerCount(key: string): Promise<boolean> {
    return this.guard('claimBreakerCount', async () => (await this.client.hsetnx(this.entryKey(key), 'breaker', '1')) === 1);
  }

  read(key: string): Promise<LedgerEntry | undefined> {
    return this.guard('read', async () => parseEntry(key, await this.client.hgetall(this.entryKey(key))));
  }

  async listIncident(incidentId: string): Promise<LedgerEntry[]> {
    const keys = await this.guard('listIncident', () => this.client.smembers(this.indexKey(incidentId)));
    const entries = await Promise.all(keys.map((key) => this.read(key)));
    return sortEntries(entries.filter((e): e is LedgerEntry => e !== undefined));
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }
}

export function parseEntry(key: string, fields: Record<string, string>): LedgerEntry | undefined {
  if (!fields.intent) return undefined;
  const json = (name: string) => (fields[name] ? JSON.parse(fields[name]) : undefined);
  return { key, intent: json('intent'), result: json('result'), verdict: json('verdict'), rollback: json('rollback'), rerun: json('rerun'), breakerCounted: fields.breaker === '1' };
}

