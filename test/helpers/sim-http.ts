// Raw HTTPS requests to a kube-sim (trusting its CA, sending its token), for wire-level assertions.

import { request, type Agent } from 'node:https';
import type { RunningSim } from '../../chaos/sim/index.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = unknown>(): T;
}

export function simRequest(
  sim: RunningSim,
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; accept?: string; rawBody?: string; agent?: Agent } = {},
): Promise<RawResponse> {
  const url = new URL(path, sim.url);
  const payload = options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: sim.caCert,
        agent: options.agent,
        headers: {
          ...(sim.token ? { Authorization: `Bearer ${sim.token}` } : {}),
          Accept: options.accept ?? 'application/json',
          ...(payload !== undefined ? { 'Content-Type': options.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T,>() => JSON.parse(text) as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
