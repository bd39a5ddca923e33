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
 * XADDs each redacted event to a Redis stream capped at exactly maxLen (exact MAXLEN: the configured length is a
 * promise to operators sizing Redis; audit writes are a few per action, so exact trimming costs nothing that matters).
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
    await this.client.xadd(this.streamKey, 'MAXLEN', this.maxLen, '*', 'event', JSON.stringify(safe), 'incident', safe.incidentId ?? '');
  }
}
