import { createServer, type Server } from 'node:http';
import type { Express } from 'express';

export interface RunningHttpServer {
  server: Server;
  port: number;
  /** Stops accepting connections, closes idle keep-alive sockets, and waits for in-flight requests. */
  close(): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one). */
export async function startHttpServer(app: Express, host: string, port: number): Promise<RunningHttpServer> {
  const server = createServer(app);
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
