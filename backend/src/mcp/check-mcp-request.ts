// Pure: may this HTTP request reach the MCP endpoint? Host and Origin against allow-lists (DNS rebinding: a page on
// another site that resolves its name to our address still sends its own Host/Origin), then the bearer token.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface McpAccessPolicy {
  /** Host names (no port) the endpoint answers to. */
  hosts: ReadonlySet<string>;
  /** Full origins ("https://app.example.com") accepted from browsers; loopback origins always are. */
  origins: ReadonlySet<string>;
  token: string;
}

export type AccessVerdict = { ok: true } | { ok: false; status: 401 | 403; error: string };

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** The policy from config: loopback names, HOST and PUBLIC_URL's host, plus MCP_ALLOWED_HOSTS / _ORIGINS. */
export function accessPolicyFrom(config: { HOST: string; PUBLIC_URL?: string; MCP_ALLOWED_HOSTS: string[]; MCP_ALLOWED_ORIGINS: string[] }, token: string): McpAccessPolicy {
  const hosts = new Set([...LOOPBACK, ...config.MCP_ALLOWED_HOSTS.map((h) => h.toLowerCase())]);
  // A wildcard bind address names no host a client would use.
  if (!['0.0.0.0', '::', ''].includes(config.HOST)) hosts.add(config.HOST.toLowerCase());
  if (config.PUBLIC_URL) hosts.add(new URL(config.PUBLIC_URL).hostname.toLowerCase());
  return { hosts, origins: new Set(config.MCP_ALLOWED_ORIGINS.map((o) => o.replace(/\/+$/, '').toLowerCase())), token };
}

/** "example.com:3000" → "example.com"; "[::1]:3000" → "[::1]". */
export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d+$/, '');
}

function originAllowed(origin: string, policy: McpAccessPolicy): boolean {
  const o = origin.trim().replace(/\/+$/, '').toLowerCase();
  if (policy.origins.has(o)) return true;
  try {
    const url = new URL(o);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK.includes(url.hostname);
  } catch {
    return false;
  }
}

/** Constant-time: digests of equal length, so neither length nor prefix leaks through timing. */
function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

export function checkMcpRequest(headers: { host?: string; origin?: string; authorization?: string }, policy: McpAccessPolicy): AccessVerdict {
  if (!headers.host || !policy.hosts.has(hostnameOf(headers.host))) {
    return { ok: false, status: 403, error: 'host not allowed for /mcp (add it to MCP_ALLOWED_HOSTS)' };
  }
  if (headers.origin !== undefined && !originAllowed(headers.origin, policy)) {
    return { ok: false, status: 403, error: 'origin not allowed for /mcp (add it to MCP_ALLOWED_ORIGINS)' };
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (!m || !tokenMatches(m[1], policy.token)) return { ok: false, status: 401, error: 'missing or wrong bearer token for /mcp' };
  return { ok: true };
}
