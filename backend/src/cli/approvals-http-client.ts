// The CLI's one adapter to a running daemon's approvals API (channel 3): `approvals`, `approve` and `deny` with --url.
// Every failure becomes one line a person at 3 a.m. can act on (wrong token, daemon unreachable, unknown approval).
import type { PendingApproval } from '../domain/approval.js';
import { ConfigError, InvalidInputError, PolicyRefusal, TransientError } from '../domain/errors.js';
import type { ApprovalResult } from '../pipeline/decide-approval.js';

/** A pending approval as GET /approvals returns it (times as ISO strings, no payload). */
export type ListedApproval = Omit<PendingApproval, 'payload' | 'createdAt' | 'expiresAt'> & { createdAt: string; expiresAt: string };

export interface ApprovalsHttpClient {
  list(): Promise<ListedApproval[]>;
  /** Resolves with the worker's result (200 or 409 refused), or `{ queued: jobId }` when the daemon answered 202. */
  decide(id: string, decision: 'approve' | 'deny', body: { approver: string; comment?: string; planHash?: string }): Promise<ApprovalResult | { queued: string }>;
}

/** The token comes from the environment only (never a flag: flags end up in shell history and `ps`). */
export function createApprovalsHttpClient(rawUrl: string, token: string | undefined, timeoutMs = 60_000): ApprovalsHttpClient {
  let base: URL;
  try {
    base = new URL(rawUrl);
  } catch {
    throw new InvalidInputError(`--url "${rawUrl}" is not a URL (e.g. http://127.0.0.1:3000)`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new InvalidInputError(`--url "${rawUrl}" must be http:// or https://`);
  if (!token?.trim()) throw new ConfigError('--url needs APPROVAL_TOKEN in the environment (the daemon\'s approval token)', 'export APPROVAL_TOKEN=<token> before running the command');
  const root = base.href.replace(/\/+$/, '');

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    let res: Response;
    try {
      res = await fetch(`${root}${path}`, {
        method,
        headers: { authorization: `Bearer ${token.trim()}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new TransientError(`cannot reach the daemon at ${root} (${cause})`, 'check --url and that `oncall-agent serve` runs there');
    }
    const json = await res.json().catch(() => undefined);
    const message = (json as { error?: string } | undefined)?.error;
    if (res.status === 401) throw new ConfigError(`the daemon at ${root} refused APPROVAL_TOKEN (401)`, 'use the APPROVAL_TOKEN the daemon was started with');
    if (res.status === 503) throw new ConfigError(`the daemon at ${root} has its approvals API off (503): ${message ?? 'set APPROVAL_TOKEN on the daemon'}`);
    if (res.status === 404) throw new InvalidInputError(`${message ?? 'not found'} at ${root} (404)`);
    if (res.status === 400) throw new InvalidInputError(`the daemon refused the request (400): ${message ?? 'bad request'}`);
    if (res.status >= 500 || json === undefined) throw new TransientError(`the daemon at ${root} answered ${res.status}${message ? `: ${message}` : ''}`);
    return { status: res.status, json };
  };

  return {
    list: async () => (await call('GET', '/approvals')).json as ListedApproval[],
    decide: async (id, decision, body) => {
      const { status, json } = await call('POST', `/approvals/${encodeURIComponent(id)}/${decision}`, body);
      if (status === 202) return { queued: String((json as { jobId?: string }).jobId ?? '') };
      if (status === 200 || status === 409) return json as ApprovalResult;
      throw new PolicyRefusal(`the daemon answered ${status} to the ${decision} of ${id}`);
    },
  };
}
