// A fake Anthropic Messages API for tests: real HTTP on loopback, POST /v1/messages, scripted per test,
// recording every request. The real @anthropic-ai/sdk is pointed at it with baseURL and maxRetries 0.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** The raw body text, for "this string never reached the server" assertions. */
  raw: string;
}

export type FakeContent = { type: 'text'; text: string } | { type: 'tool_use'; id?: string; name: string; input: unknown };

/** What the server does for one request. */
export type FakeReply =
  | { content: FakeContent[]; stop_reason?: string; usage?: Partial<Usage>; model?: string }
  | { status: number; errorType: string; message: string; headers?: Record<string, string> }
  /** A body sent as is (e.g. malformed JSON behind a 200). */
  | { raw: string; rawStatus?: number }
  | { hang: true }
  /** Answers 200 and the start of a body, then never finishes it (a connection stalled mid-response). */
  | { stall: true };

interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export type FakeScript = FakeReply[] | ((request: RecordedRequest, index: number) => FakeReply);

export interface FakeAnthropicServer {
  url: string;
  requests: RecordedRequest[];
  /** Replace the script (queue of replies or a function). */
  script(script: FakeScript): void;
  close(): Promise<void>;
}

export const FAKE_API_KEY = 'sk-ant-test-0000000000000000';

/** Helpers to build replies. */
export const reply = {
  text: (text: string): FakeReply => ({ content: [{ type: 'text', text }], stop_reason: 'end_turn' }),
  toolUse: (name: string, input: unknown, id?: string): FakeReply => ({ content: [{ type: 'tool_use', name, input, id }], stop_reason: 'tool_use' }),
  overloaded: (): FakeReply => ({ status: 529, errorType: 'overloaded_error', message: 'Overloaded' }),
  error: (status: number, errorType: string, message: string): FakeReply => ({ status, errorType, message }),
  hang: (): FakeReply => ({ hang: true }),
  stall: (): FakeReply => ({ stall: true }),
};

export async function startFakeAnthropic(options: { apiKey?: string } = {}): Promise<FakeAnthropicServer> {
  const apiKey = options.apiKey ?? FAKE_API_KEY;
  const requests: RecordedRequest[] = [];
  let script: FakeScript = [];
  let served = 0;
  let idCounter = 0;
  const hanging = new Set<ServerResponse>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${served}` });
    res.end(JSON.stringify(body));
  };
  const sendError = (res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    send(res, status, { type: 'error', error: { type, message }, request_id: `req_fake_${served}` });
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return sendError(res, 400, 'invalid_request_error', 'body is not JSON');
      }
      const path = (req.url ?? '').split('?')[0];
      const recorded: RecordedRequest = { method: req.method ?? '', path, headers: { ...req.headers }, body, raw };
      requests.push(recorded);
      if (req.method !== 'POST' || path !== '/v1/messages') return sendError(res, 404, 'not_found_error', `no route ${req.method} ${path}`);
      const auth = req.headers.authorization;
      const key = req.headers['x-api-key'];
      if (auth !== `Bearer ${apiKey}` && key !== apiKey) return sendError(res, 401, 'authentication_error', 'invalid x-api-key');
      if (!req.headers['anthropic-version']) return sendError(res, 400, 'invalid_request_error', 'anthropic-version header is required');
      const b = body as { model?: unknown; max_tokens?: unknown; messages?: unknown };
      if (typeof b?.model !== 'string' || typeof b.max_tokens !== 'number' || !Array.isArray(b.messages)) {
        return sendError(res, 400, 'invalid_request_error', 'model, max_tokens and messages are required');
      }
      const index = served++;
      const next = typeof script === 'function' ? script(recorded, index) : script.shift();
      if (!next) return sendError(res, 500, 'api_error', 'fake-anthropic: script exhausted');
      if ('hang' in next) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if ('stall' in next) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake_${served}` });
        res.write('{"id":"msg_stalled","type":"message","role":"assistant","content":[');
        return;
      }
      if ('status' in next) return sendError(res, next.status, next.errorType, next.message, next.headers);
      if ('raw' in next) {
        res.writeHead(next.rawStatus ?? 200, { 'content-type': 'application/json', 'request-id': `req_fake_${served}` });
        return res.end(next.raw);
      }
      send(res, 200, {
        id: `msg_fake_${index}`,
        type: 'message',
        role: 'assistant',
        model: next.model ?? b.model,
        content: next.content.map((c) => (c.type === 'tool_use' ? { type: 'tool_use', id: c.id ?? `toolu_fake_${++idCounter}`, name: c.name, input: c.input } : c)),
        stop_reason: next.stop_reason ?? (next.content.some((c) => c.type === 'tool_use') ? 'tool_use' : 'end_turn'),
        stop_sequence: null,
        usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, ...next.usage },
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(s) {
      script = Array.isArray(s) ? [...s] : s;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
