// A loopback TCP proxy in front of a server (kube-sim), for the fault tests: the agent's kubeconfig points at it, and
// the test cuts the path (every connection dropped at once, as when the API server is unreachable) and restores it.
// It counts the connections it could not serve, so a test can wait for "the agent tried and failed N times" instead
// of sleeping. TLS passes through untouched (the sim's certificate is for 127.0.0.1, whatever the port).
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every open connection and, from now on, every new one (the API server unreachable). */
  cut(): void;
  restore(): void;
  /** Connections dropped because the path was cut or the upstream refused them. */
  failed(): number;
  /** Resolves once `failed()` reaches n. */
  waitForFailures(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(upstreamPort: number): Promise<TcpProxy> {
  let cutOff = false;
  let failures = 0;
  const open = new Set<Socket>();
  const waiters: Array<() => void> = [];
  const fail = (socket: Socket) => {
    failures++;
    socket.destroy();
    for (const wake of waiters.splice(0)) wake();
  };
  const server: Server = createServer((client) => {
    if (cutOff) return fail(client);
    const upstream = connect({ port: upstreamPort, host: '127.0.0.1' });
    open.add(client).add(upstream);
    let connected = false;
    upstream.once('connect', () => (connected = true));
    upstream.on('error', () => (connected ? client.destroy() : fail(client)));
    client.on('error', () => upstream.destroy());
    client.on('close', () => {
      open.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut() {
      cutOff = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      cutOff = false;
    },
    failed: () => failures,
    async waitForFailures(n, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (failures < n) {
        if (Date.now() > deadline) throw new Error(`only ${failures} of ${n} connections failed through the proxy within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
