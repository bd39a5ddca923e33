// Writing responses: compact JSON like the real server, Status errors, plain text.

import type { ServerResponse } from 'node:http';
import { SimApiError, internalError } from '../../store/errors.js';

export function sendJsonText(res: ServerResponse, code: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, code, JSON.stringify(body), headers);
}

export function sendText(res: ServerResponse, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  if (res.headersSent) return;
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

/** The real server's answer to a path no handler serves. */
export function sendPageNotFound(res: ServerResponse): void {
  sendText(res, 404, '404 page not found\n');
}

export function sendError(res: ServerResponse, error: unknown): void {
  const apiError = error instanceof SimApiError ? error : internalError(error instanceof Error ? error.message : String(error));
  sendJson(res, apiError.status.code, apiError.status);
}
