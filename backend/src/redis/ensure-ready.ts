import type { Redis } from 'ioredis';

/** One pending "ready" wait per client, shared by every caller: a burst of deliveries during an outage adds two listeners, not two each. */
const pending = new WeakMap<Redis, Promise<void>>();

/**
 * 'command' clients have no offline queue, so a command sent while connecting fails at once. Callers that may run
 * right after createRedis (the CLI, a fresh store) wait here for the connection, up to a deadline.
 */
export async function ensureRedisReady(client: Redis, timeoutMs = 2_000): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'end') throw new Error('redis connection was closed');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis not ready within ${timeoutMs} ms (status ${client.status})`)), timeoutMs);
  });
  try {
    await Promise.race([readyOnce(client), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function readyOnce(client: Redis): Promise<void> {
  const existing = pending.get(client);
  if (existing) return existing;
  const wait = new Promise<void>((resolve, reject) => {
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('redis connection closed'));
    };
    const cleanup = () => {
      pending.delete(client);
      client.off('ready', onReady);
      client.off('end', onEnd);
    };
    client.on('ready', onReady);
    client.on('end', onEnd);
  });
  // Callers may all have timed out by the time it settles: a late rejection must not surface as unhandled.
  wait.catch(() => undefined);
  pending.set(client, wait);
  return wait;
}
