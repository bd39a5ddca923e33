import type { Redis } from 'ioredis';

/**
 * 'command' clients have no offline queue, so a command sent while connecting fails at once. Callers that may run
 * right after createRedis (the CLI, a fresh store) wait here for the connection, up to a deadline.
 */
export async function ensureRedisReady(client: Redis, timeoutMs = 2_000): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'end') throw new Error('redis connection was closed');
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('redis connection closed'));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`redis not ready within ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('end', onEnd);
    };
    client.on('ready', onReady);
    client.on('end', onEnd);
  });
}
