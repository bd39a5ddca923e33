import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
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
  /**
   * Open connections served at most (HTTP_MAX_CONNECTIONS). A connection past it has its request answered 503 with
   * Retry-After and is closed, so a sender that opened too many learns to retry rather than seeing a reset; past twice
   * the cap, connections are closed as they arrive (a flood costs nothing more).
   */
  maxConnections: number;
}

/** What the server did with a connection past the cap (for a metric and a log line). */
export type RefusedConnection = 'answered-503' | 'dropped';

/** Seconds a sender refused for overload is asked to wait. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 2;

export const DEFAULT_HTTP_LIMITS: HttpLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 256 };

/** Listens on host:port (port 0 picks a free one). `onRefused` hears of each connection refused past the cap. */
export async function startHttpServer(
  app: Express,
  host: string,
  port: number,
  limits: HttpLimits = DEFAULT_HTTP_LIMITS,
  onRefused: (how: RefusedConnection) => void = () => undefined,
): Promise<RunningHttpServer> {
  const requestTimeout = limits.requestTimeoutMs;
  // Node checks the timeouts on a timer (30 s by default): check often enough that a short timeout is kept.
  const connectionsCheckingInterval = Math.max(50, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, requestTimeout) / 4)));
  // headersTimeout must not exceed requestTimeout (Node refuses the pair otherwise).
  const overCap = new WeakSet<Socket>();
  const server = createServer({ requestTimeout, headersTimeout: Math.min(limits.headersTimeoutMs, requestTimeout), connectionsCheckingInterval }, (req, res) => {
    if (!overCap.has(req.socket)) return app(req, res);
    onRefused('answered-503');
    refuseForOverload(res);
  });
  let open = 0;
  server.on('connection', (socket: Socket) => {
    open += 1;
    if (open > limits.maxConnections) overCap.add(socket);
    socket.once('close', () => {
      open -= 1;
    });
  });
  server.maxConnections = limits.maxConnections * 2;
  server.on('drop', () => onRefused('dropped'));
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

/** 503 with Retry-After, and the connection closed after it (Node ends the socket on Connection: close). */
function refuseForOverload(res: ServerResponse): void {
  const body = JSON.stringify({ error: 'server busy: too many open connections, retry later' });
  res.writeHead(503, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Retry-After': String(OVERLOAD_RETRY_AFTER_SECONDS),
    Connection: 'close',
  });
  res.end(body);
}
