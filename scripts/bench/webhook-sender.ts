// The webhook sender of the load benchmarks, shaped like PagerDuty's: a bounded pool of keep-alive connections (a
// real sender reuses a few connections; it does not open one per delivery) and a 5 s timeout per delivery. Each
// result says how long the delivery waited for a free connection and how long the server took to answer, so a slow
// server cannot hide in the sender's queue: the benchmark judges the time from when a delivery was due.
import { Agent, request } from 'node:http';
import type { SignedDelivery } from '../../backend/src/pagerduty/sign-delivery.js';

export interface SendResult {
  /** HTTP status; 0 when no answer came. */
  status: number;
  /** The answer's `status` field (accepted, duplicate…), or why there was no answer. */
  answer: string;
  /** Waiting for a pooled connection. */
  queuedMs: number;
  /** From the request going out on a connection to the end of the answer. */
  answerMs: number;
  /** From the moment the delivery was due (queuedMs + answerMs). */
  totalMs: number;
  /** The connection was reset or closed without an answer. */
  dropped: boolean;
  timedOut: boolean;
}

export interface WebhookSender {
  send(delivery: SignedDelivery): Promise<SendResult>;
  /** Connections the sender opened over its life (the pool reuses them). */
  connectionsOpened(): number;
  close(): void;
}

const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ECONNABORTED']);

export function createWebhookSender(url: string, options: { connections: number; timeoutMs: number }): WebhookSender {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  let opened = 0;
  const seen = new WeakSet<object>();
  const send = (delivery: SignedDelivery): Promise<SendResult> =>
    new Promise((resolve) => {
      const due = Date.now();
      let sentAt = due;
      let timer: NodeJS.Timeout | undefined;
      const finish = (status: number, answer: string, failure?: { dropped?: boolean; timedOut?: boolean }) => {
        clearTimeout(timer);
        const end = Date.now();
        resolve({ status, answer, queuedMs: sentAt - due, answerMs: end - sentAt, totalMs: end - due, dropped: failure?.dropped ?? false, timedOut: failure?.timedOut ?? false });
      };
      const req = request(url, { method: 'POST', agent, headers: { ...delivery.headers, 'content-length': String(delivery.body.length) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          let answer = '';
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status?: unknown; error?: unknown };
            answer = String(parsed.status ?? parsed.error ?? '');
          } catch {
            answer = 'unreadable answer';
          }
          finish(res.statusCode ?? 0, answer);
        });
        res.on('error', (error: NodeJS.ErrnoException) => finish(0, error.code ?? error.message, { dropped: true }));
      });
      req.on('socket', (socket) => {
        sentAt = Date.now();
        if (!seen.has(socket)) {
          seen.add(socket);
          opened += 1;
        }
        // PagerDuty's timeout runs from its request, not from our queue.
        timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'TIMEOUT' })), options.timeoutMs);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? error.message;
        finish(0, code, { dropped: DROPPED.has(code) || /socket hang up/.test(error.message), timedOut: code === 'TIMEOUT' });
      });
      req.end(delivery.body);
    });
  return { send, connectionsOpened: () => opened, close: () => agent.destroy() };
}
