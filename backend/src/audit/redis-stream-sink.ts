import type { Redis } from 'ioredis';
import type { AuditEvent } from '../domain/audit.js';
import type { AuditSink } from '../domain/ports.js';
import { ensureRedisReady } from '../redis/ensure-ready.js';
import { redactAuditEvent } from './redact-event.js';

/** The stream key under a key prefix ("oncall:" → "oncall:audit"). */
export function auditStreamKey(prefix: string): string {
  return `${prefix}audit`;
}

/**
 * XADDs each redacted event to a Redis stream capped with MAXLEN ~ (approximate trimming: Redis drops whole
 * internal nodes, so the stream may hold a little more than maxLen, at a fraction of the cost of exact trimming).
 */
export class RedisStreamAuditSink implements AuditSink {
  constructor(
    private readonly client: Redis,
    private readonly streamKey: string,
    private readonly maxLen: number,
  ) {}

  async write(event: AuditEvent): Promise<void> {
    const safe = redactAuditEvent(event);
    await ensureRedisReady(this.client);
    await this.client.xadd(this.streamKey, 'MAXLEN', '~', this.maxLen, '*', 'event', JSON.stringify(safe), 'incident', safe.incidentId ?? '');
  }
}
