import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createApp } from '../../backend/src/http/create-app.js';
import { startHttpServer, type HttpLimits, type RunningHttpServer } from '../../backend/src/http/start-http-server.js';
import { createPagerDutyWebhookRouter } from '../../backend/src/ingest/pagerduty-webhook-router.js';
import { silentLogger } from '../../backend/src/observability/logger.js';
import { createMetrics, type Metrics } from '../../backend/src/observability/metrics.js';
import { createBullmqQueue, type IncidentQueue } from '../../backend/src/queue/index.js';
import { createRedis } from '../../backend/src/redis/create-redis.js';

/** The real ingest stack (Express app + BullMQ queue on a real Redis) on a free port, with a private key prefix. */
export interface IngestHarness {
  url: string;
  port: number;
  prefix: string;
  redis: Redis;
  queue: IncidentQueue;
  metrics: Metrics;
  /** Job ids waiting in Redis, read straight from BullMQ's wait list. */
  waitingJobIds(): Promise<string[]>;
  jobData(jobId: string): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

export interface IngestHarnessOptions {
  workerRunning?: () => boolean;
  /** HTTP limits (timeouts, connection cap); the production defaults when absent. */
  limits?: HttpLimits;
  maxEventAgeSeconds?: number;
}

export async function startIngestHarness(redisUrl: string, secrets: string[], options: IngestHarnessOptions = {}): Promise<IngestHarness> {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  // As main.ts builds the ingest queue's client.
  const redis = createRedis(redisUrl, 'command', { enableAutoPipelining: true });
  const metrics = createMetrics();
  const logger = silentLogger();
  const queue = createBullmqQueue({ connection: redis, retry: { attempts: 3, backoffMs: 100 }, metrics, prefix });
  const ingest = createPagerDutyWebhookRouter({ secrets, queue, metrics, logger, maxEventAgeSeconds: options.maxEventAgeSeconds });
  const app = createApp({ metrics, logger, ingest, readiness: { queue: () => queue.isHealthy(), worker: options.workerRunning } });
  const http: RunningHttpServer = await startHttpServer(app, '127.0.0.1', 0, options.limits);
  // A separate plain client for assertions, so the fail-fast client's state does not affect reads.
  const reader = createRedis(redisUrl, 'blocking');
  return {
    url: `http://127.0.0.1:${http.port}`,
    port: http.port,
    prefix,
    redis,
    queue,
    metrics,
    waitingJobIds: () => reader.lrange(`${prefix}:incidents:wait`, 0, -1),
    async jobData(jobId) {
      const raw = await reader.hget(`${prefix}:incidents:${jobId}`, 'data');
      return raw ? JSON.parse(raw) : undefined;
    },
    async close() {
      await http.close();
      await queue.close();
      await Promise.allSettled([redis.quit(), reader.quit()]);
    },
  };
}
