import type { Redis } from 'ioredis';

const holding = new WeakSet<Redis>();

/**
 * Holds the client's socket writes until the end of this event-loop turn, then sends them in one write. A server
 * handles every request that arrived in one poll of the event loop before the check phase runs, so the commands of
 * all the deliveries handled in that turn leave together: one syscall and one read on the Redis side instead of one
 * per command. The delay is at most the rest of the current turn.
 *
 * This replaces ioredis's auto-pipelining for the ingest client: that builds a Pipeline object per batch, and each
 * one copies every script BullMQ defines on the client (about fifty), which under load cost more CPU per delivery
 * than the writes it saved (docs/decisions/2026-12-06-ingest-throughput.md).
 */
export function coalesceWritesThisTurn(client: Redis): void {
  if (holding.has(client)) return;
  const stream = client.stream;
  // Not connected yet (the command will fail fast, as 'command' clients do), or already going away.
  if (!stream || stream.destroyed) return;
  holding.add(client);
  stream.cork();
  setImmediate(() => {
    holding.delete(client);
    stream.uncork();
  });
}
