// Streamable HTTP at /mcp: Host/Origin allow-list and bearer token first, then one SDK transport per client session
// (POST to initialize and call, GET for the server's stream, DELETE to end). The transport reads the request body
// itself: no JSON parser is mounted, so no other route (the PagerDuty webhook reads raw bytes) is affected.
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Router, type Request, type Response } from 'express';
import type { Logger } from '../observability/logger.js';
import { checkMcpRequest, type McpAccessPolicy } from './check-mcp-request.js';
import type { McpService } from './create-mcp-service.js';

export const MCP_PATH = '/mcp';
const MAX_BODY_BYTES = 1_048_576;
/** A session nobody used for this long is closed when the next one starts (clients that vanish never DELETE). */
const IDLE_SESSION_MS = 30 * 60_000;

interface Session {
  transport: StreamableHTTPServerTransport;
  server: Server;
  lastUsed: number;
}

export interface McpHttpEndpoint {
  router: Router;
  /** Open client sessions (for tests and the status log). */
  sessionCount(): number;
  close(): Promise<void>;
}

const rpcError = (res: Response, status: number, code: number, message: string) => res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });

export function createMcpHttpRouter(options: { service: McpService; policy: McpAccessPolicy; maxSessions: number; logger: Logger }): McpHttpEndpoint {
  const sessions = new Map<string, Session>();
  const closeSession = async (id: string) => {
    const session = sessions.get(id);
    sessions.delete(id);
    await session?.server.close().catch(() => undefined);
  };
  const evictBeyondLimit = async () => {
    const now = Date.now();
    for (const [id, session] of sessions) if (now - session.lastUsed > IDLE_SESSION_MS) await closeSession(id);
    while (sessions.size > options.maxSessions) {
      const oldest = [...sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
      options.logger.info({ sessionId: oldest[0] }, `MCP session closed: more than MCP_MAX_SESSIONS (${options.maxSessions}) open`);
      await closeSession(oldest[0]);
    }
  };

  const handle = async (req: Request, res: Response) => {
    const verdict = checkMcpRequest({ host: req.headers.host, origin: req.headers.origin, authorization: req.headers.authorization }, options.policy);
    if (!verdict.ok) {
      if (verdict.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="oncall-agent mcp"');
      res.status(verdict.status).json({ error: verdict.error });
      return;
    }
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session) return void rpcError(res, 404, -32001, 'session not found: initialize a new one');
      session.lastUsed = Date.now();
      await session.transport.handleRequest(req, res);
      return;
    }
    if (req.method !== 'POST') return void rpcError(res, 400, -32000, 'no mcp-session-id: start with a POST initialize request');

    const server = options.service.newServer('http');
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: MAX_BODY_BYTES,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, lastUsed: Date.now() });
        void evictBeyondLimit();
      },
      onsessionclosed: (id) => void closeSession(id),
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
    // Anything but an initialize request without a session leaves no session behind.
    if (!transport.sessionId || !sessions.has(transport.sessionId)) await server.close().catch(() => undefined);
  };

  const router = Router();
  router.all(MCP_PATH, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ err: error }, 'MCP HTTP request failed');
      if (!res.headersSent) rpcError(res, 500, -32603, 'internal error');
    });
  });
  return {
    router,
    sessionCount: () => sessions.size,
    close: async () => {
      await Promise.allSettled([...sessions.keys()].map((id) => closeSession(id)));
    },
  };
}
