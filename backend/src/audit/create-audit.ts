// Builds the audit trail from config: JSONL always, the Redis stream when REDIS_URL is set, Kubernetes Events when
// AUDIT_KUBE_EVENTS is on and the caller supplies a ClusterEventWriter (audit/ never builds cluster clients itself).

import type { Redis } from 'ioredis';
import type { AuditSink, ClusterEventWriter } from '../domain/ports.js';
import { createRedis } from '../redis/create-redis.js';
import type { AuditReader } from './audit-reader.js';
import { createFanOutSink, type FanOutOptions, type NamedSink, type SinkFailureLogger } from './fan-out-sink.js';
import { JsonlAuditReader } from './jsonl-audit-reader.js';
import { JsonlAuditSink } from './jsonl-sink.js';
import { KubeEventAuditSink } from './kube-event-sink.js';
import type { SinkHealth } from './sink-health.js';
import { RedisStreamAuditReader } from './redis-stream-audit-reader.js';
import { auditStreamKey, RedisStreamAuditSink } from './redis-stream-sink.js';

export interface AuditConfig {
  REDIS_URL?: string;
  REDIS_KEY_PREFIX: string;
  AUDIT_JSONL_PATH: string;
  AUDIT_STREAM_MAXLEN: number;
  AUDIT_KUBE_EVENTS: boolean;
}

export interface AuditTrail {
  sink: AuditSink;
  /** Names of the sinks in use, for the startup log. */
  sinks: string[];
  /** Each sink's health (a failing JSONL file, an unreachable Redis), for /healthz; absent on a test's own trail. */
  health?(): SinkHealth[];
  close(): Promise<void>;
}

export function createAuditTrail(
  config: AuditConfig,
  deps: { logger: SinkFailureLogger; redis?: Redis; eventWriter?: ClusterEventWriter; timeoutMs?: number; metrics?: FanOutOptions['metrics'] },
): AuditTrail {
  const sinks: NamedSink[] = [{ name: 'jsonl', sink: new JsonlAuditSink(config.AUDIT_JSONL_PATH), target: config.AUDIT_JSONL_PATH }];
  let owned: Redis | undefined;
  if (config.REDIS_URL) {
    const client = deps.redis ?? (owned = createRedis(config.REDIS_URL, 'command'));
    const key = auditStreamKey(config.REDIS_KEY_PREFIX);
    sinks.push({ name: 'redis-stream', sink: new RedisStreamAuditSink(client, key, config.AUDIT_STREAM_MAXLEN), target: `stream ${key}` });
  }
  if (config.AUDIT_KUBE_EVENTS && deps.eventWriter) sinks.push({ name: 'kube-events', sink: new KubeEventAuditSink(deps.eventWriter) });
  const fanOut = createFanOutSink(sinks, deps.logger, { timeoutMs: deps.timeoutMs, metrics: deps.metrics });
  return {
    sink: fanOut,
    sinks: sinks.map((s) => s.name),
    health: () => fanOut.health(),
    close: async () => {
      if (owned) await owned.quit().catch(() => owned?.disconnect());
    },
  };
}

/** Reads back from the Redis stream when REDIS_URL is set, otherwise from the JSONL file. */
export function createAuditReader(config: AuditConfig, redis?: Redis): AuditReader {
  if (config.REDIS_URL) {
    const client = redis ?? createRedis(config.REDIS_URL, 'command');
    return new RedisStreamAuditReader(client, auditStreamKey(config.REDIS_KEY_PREFIX), !redis);
  }
  return new JsonlAuditReader(config.AUDIT_JSONL_PATH);
}
