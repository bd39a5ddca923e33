import { Redis, type RedisOptions } from 'ioredis';

/**
 * The one place ioredis clients are built.
 * - 'blocking' clients (BullMQ workers) must retry forever: maxRetriesPerRequest null, as BullMQ's production guide requires.
 * - 'command' clients (ingest enqueue, safety store, audit stream) fail fast while Redis is down, so the caller can
 *   answer 503 / refuse to act instead of hanging: no offline queue, one retry per request, short connect timeout.
 */
export function createRedis(url: string, kind: 'blocking' | 'command', extra: RedisOptions = {}): Redis {
  const base: RedisOptions =
    kind === 'blocking'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 2_000 };
  const client = new Redis(url, {
    ...base,
    // Reconnect with capped back-off forever; callers see errors meanwhile, never a crash.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    lazyConnect: false,
    ...extra,
  });
  // An 'error' listener is required: without one ioredis rethrows connection errors as unhandled events.
  client.on('error', () => undefined);
  return client;
}

export type { Redis };
