import type { Redis } from 'ioredis';
import type { AuditEvent } from '../domain/audit.js';
import { TransientError } from '../domain/errors.js';
import { ensureRedisReady } from '../redis/ensure-ready.js';
import { matchesAuditQuery, parseAuditEvent, type AuditQuery, type AuditReader } from './audit-reader.js';

const PAGE = 500;
/** Stream ids carry the Redis host's clock; allow this much skew against event timestamps when paging by time. */
const CLOCK_SKEW_MS = 60_000;

/** Pages backwards through the audit stream (newest first) until it has enough matches or passes `sinceMs`. */
export class RedisStreamAuditReader implements AuditReader {
  constructor(
    private readonly client: Redis,
    private readonly streamKey: string,
    private readonly ownsClient = false,
  ) {}

  async read(query: AuditQuery): Promise<AuditEvent[]> {
    try {
      return await this.readStream(query);
    } catch (error) {
      // One line and a hint, like the safety store's errors: an unreachable Redis is an operating error, not a bug.
      throw new TransientError(
        `audit trail (redis stream ${this.streamKey}) cannot be read: ${(error as Error).message}`,
        'check that Redis at REDIS_URL is up; the agent also writes the trail to AUDIT_JSONL_PATH on its own machine',
        { cause: error },
      );
    }
  }

  private async readStream(query: AuditQuery): Promise<AuditEvent[]> {
    await ensureRedisReady(this.client);
    const newestFirst: AuditEvent[] = [];
    let end = '+';
    for (;;) {
      const entries = await this.client.xrevrange(this.streamKey, end, '-', 'COUNT', PAGE);
      for (const [, fields] of entries) {
        const index = fields.indexOf('event');
        const event = index >= 0 ? parseAuditEvent(fields[index + 1]) : undefined;
        if (event && matchesAuditQuery(event, query)) newestFirst.push(event);
        if (query.limit !== undefined && newestFirst.length >= query.limit) return newestFirst.reverse();
      }
      if (entries.length < PAGE) break;
      const oldestId = entries[entries.length - 1][0];
      if (query.sinceMs !== undefined && Number(oldestId.split('-')[0]) < query.sinceMs - CLOCK_SKEW_MS) break;
      end = `(${oldestId}`;
    }
    return newestFirst.reverse();
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }
}
