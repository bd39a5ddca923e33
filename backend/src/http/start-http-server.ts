import { createServer, type Server } from 'node:http';
import type { Express } from 'express';

export interface RunningHttpServer {
  server: Server;
  port: number;
  /** Stops accepting connections, closes idle keep-alive sockets, and waits for in-flight requests. */
  close(): Promise<void>;
}

/** Limits on what one client can hold open. Safe defaults: a slow or endless client costs one bounded socket. */
export interface HttpLimits {
  /** Time to send all request headers; then the socket is closed (HTTP_HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** Time to send the whole request, body included; then 408 and close (HTTP_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Open connections at most; further ones are closed as they arrive (HTTP_MAX_CONNECTIONS). */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 256 };

/** Listens on host:port (port 0 picks a free one). */
export async function startHttpServer(app: Express, host: string, port: number, limits: HttpLimits = DEFAULT_HTTP_LIMITS): Promise<RunningHttpServer> {
  const requestTimeout = limits.requestTimeoutMs;
  // Node checks the timeouts on a timer (30 s by default): check often enough that a short timeout is kept.
  const connectionsCheckingInterval = Math.max(50, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, requestTimeout) / 4)));
  // headersTimeout must not exceed requestTimeout (Node refuses the pair otherwise).
  const server = createServer({ requestTimeout, headersTimeout: Math.min(limits.headersTimeoutMs, requestTimeout), connectionsCheckingInterval }, app);
  server.maxConnections = limits.maxConnections;
  // Longer than common load-balancer idle timeouts, so the balancer closes first.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
