// The queue adapter from config: BullMQ on Redis when REDIS_URL is set, the in-process queue otherwise. Ingest and
// every approval channel enqueue through it; a worker (serve --role worker or all) runs what it holds.
import type { Config } from '../config/index.js';
import type { Metrics } from '../observability/metrics.js';
import { createBullmqQueue, createInProcessQueue, startBullmqWorker, type IncidentQueue, type IncidentWorker, type WorkerOptions } from '../queue/index.js';
import { createRedis, type Redis } from '../redis/create-redis.js';

export interface RunningQueue {
  queue: IncidentQueue;
  startWorker(options: WorkerOptions): IncidentWorker;
  /** Closes the queue, then the Redis connections it opened. */
  close(): Promise<void>;
}

export function createQueue(config: Config, metrics?: Metrics): RunningQueue {
  const retry = { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS };
  if (!config.REDIS_URL) {
    const inProcess = createInProcessQueue({ retry, metrics });
    return { queue: inProcess, startWorker: (options) => inProcess.startWorker(options), close: () => inProcess.close() };
  }
  const url = config.REDIS_URL;
  const clients: Redis[] = [];
  // No ioredis auto-pipelining: the queue coalesces each event-loop turn's writes itself, for less CPU per delivery
  // (redis/coalesce-writes.ts). Order per connection is kept, which the enqueue's EXISTS-before-add relies on.
  const command = createRedis(url, 'command');
  clients.push(command);
  const queue = createBullmqQueue({ connection: command, retry, metrics });
  return {
    queue,
    startWorker: (options) => {
      const blocking = createRedis(url, 'blocking');
      clients.push(blocking);
      return startBullmqWorker({ ...options, connection: blocking, metrics });
    },
    close: async () => {
      await queue.close();
      await Promise.allSettled(clients.map((c) => c.quit()));
    },
  };
}
