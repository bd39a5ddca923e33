// Channel 5: the approval page, GET /ui/approvals. Server-rendered, no script. One login with APPROVAL_TOKEN gives a
// signed HttpOnly SameSite=Strict session cookie; every POST is checked for the session's CSRF token (constant time)
// and a same-origin Origin. The decision goes through the same queued approval job as every other channel.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { awaitApprovalResult, enqueueApprovalDecision } from '../../app/approval-channel.js';
import type { AuditReader } from '../../audit/audit-reader.js';
import type { PendingApproval } from '../../domain/approval.js';
import type { IncidentOutcome } from '../../domain/outcome.js';
import type { Logger } from '../../observability/logger.js';
import type { IncidentQueue } from '../../queue/incident-queue.js';
import { secretsEqual } from '../approvals-router.js';
import { createFailedAuthLimit, type FailedAuthLimit } from '../failed-auth-limit.js';
import { APPROVALS_CSS, renderApprovalsPage, renderDecisionPage, renderLoginPage, type DecisionView } from './render-approvals-page.js';
import { checkCsrf, csrfTokenFor, issueSession, readCookie, sessionKey, SESSION_TTL_MS, verifySession, type UiSession } from './ui-session.js';

export interface ApprovalsUiDeps {
  approvals: { list(now: number, status?: 'pending'): Promise<PendingApproval[]>; get(id: string, now: number): Promise<PendingApproval | undefined> };
  queue: IncidentQueue;
  /** Recent `incident.outcome` records (risk per command, results). */
  audit: AuditReader;
  logger: Logger;
  /** APPROVAL_TOKEN; the router is only mounted when it is set. */
  token: string;
  /** PUBLIC_URL: its origin is accepted, and https makes the cookie Secure. */
  publicUrl?: string;
  waitMs?: number;
  now?: () => number;
  /** Wrong-token counting per client address, shared with the approvals API (default: one of this router's own). */
  failedAuth?: FailedAuthLimit;
}

const RECENT_OUTCOMES = 20;

export function createApprovalsUiRouter(deps: ApprovalsUiDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  const key = sessionKey(deps.token);
  const secure = deps.publicUrl?.startsWith('https://') ?? false;
  // The __Host- prefix pins the cookie to this host and path / (browsers require Secure for it).
  const cookieName = secure ? '__Host-oncall_ui' : 'oncall_ui';
  const publicOrigin = deps.publicUrl ? new URL(deps.publicUrl).origin : undefined;
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });

  router.use('/ui', (_req, res, next) => {
    res.set({
      'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    next();
  });

  const sendHtml = (res: Response, status: number, body: string) => void res.status(status).type('html').send(body);
  const sessionOf = (req: Request) => verifySession(key, readCookie(req.headers.cookie, cookieName), now());
  const cookie = (value: string, maxAgeS: number) => `${cookieName}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;

  /** Same-origin POSTs only: Origin (or, failing that, Referer) must be this host or PUBLIC_URL. */
  const sameOrigin = (req: Request): boolean => {
    const claimed = req.headers.origin ?? (req.headers.referer ? safeOrigin(req.headers.referer) : undefined);
    if (!claimed || claimed === 'null') return false;
    const own = req.headers.host ? [`http://${req.headers.host}`, `https://${req.headers.host}`] : [];
    return claimed === publicOrigin || own.includes(claimed);
  };
  const guardPost = (req: Request, res: Response, next: NextFunction) => {
    if (!sameOrigin(req)) return sendHtml(res, 403, renderLoginPage('Refused: the request did not come from this page (Origin check).'));
    next();
  };

  router.get('/ui/approvals.css', (_req, res) => void res.type('css').send(APPROVALS_CSS));
  router.get('/ui', (_req, res) => res.redirect(303, '/ui/approvals'));
  router.get('/ui/login', (_req, res) => sendHtml(res, 200, renderLoginPage()));

  const failedAuth = deps.failedAuth ?? createFailedAuthLimit();
  router.post('/ui/login', guardPost, form, (req, res) => {
    const wait = failedAuth.retryAfterSeconds(req.ip ?? '', now());
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      return sendHtml(res, 429, renderLoginPage(`Too many wrong tokens from this address: try again in ${Math.ceil(wait / 60)} min.`));
    }
    const given = (req.body as { token?: unknown }).token;
    if (typeof given !== 'string' || !secretsEqual(given.trim(), deps.token)) {
      const blocked = failedAuth.recordFailure(req.ip ?? '', now());
      deps.logger.warn({ ip: req.ip }, blocked ? 'approval page: too many wrong tokens from this address; refusing it for a while' : 'approval page: sign-in with a wrong token refused');
      return sendHtml(res, 401, renderLoginPage('That is not the approval token.'));
    }
    const { value } = issueSession(key, now());
    res.set('Set-Cookie', cookie(value, SESSION_TTL_MS / 1_000));
    res.redirect(303, '/ui/approvals');
  });

  router.post('/ui/logout', guardPost, form, (req, res) => {
    const session = sessionOf(req);
    if (session && !checkCsrf(key, session, (req.body as { csrf?: unknown }).csrf)) return sendHtml(res, 403, renderLoginPage('Refused: invalid CSRF token.'));
    res.set('Set-Cookie', cookie('', 0));
    res.redirect(303, '/ui/login');
  });

  router.get('/ui/approvals', async (req, res, next) => {
    const session = sessionOf(req);
    if (!session) return sendHtml(res, 401, renderLoginPage());
    try {
      sendHtml(res, 200, await renderPage(session));
    } catch (error) {
      next(error);
    }
  });

  router.post('/ui/approvals/:id/:decision', guardPost, form, async (req, res, next) => {
    const session = sessionOf(req);
    if (!session) return sendHtml(res, 401, renderLoginPage('Your session ended; sign in again.'));
    const body = req.body as { csrf?: unknown; planHash?: unknown; comment?: unknown };
    if (!checkCsrf(key, session, body.csrf)) return sendHtml(res, 403, renderLoginPage('Refused: invalid CSRF token. Reload the approvals page and try again.'));
    const decision = req.params.decision;
    if (decision !== 'approve' && decision !== 'deny') return sendHtml(res, 404, renderLoginPage('Not found.'));
    try {
      const id = String(req.params.id).slice(0, 128);
      const approval = await deps.approvals.get(id, now());
      if (!approval) return sendHtml(res, 404, renderDecisionPage({ approvalId: id, decision, status: 'refused', message: `No approval ${id}.` }));
      const planHash = typeof body.planHash === 'string' && /^[0-9a-f]{8,64}$/i.test(body.planHash) ? body.planHash : approval.planHash;
      const comment = typeof body.comment === 'string' && body.comment.trim() ? body.comment.trim().slice(0, 500) : undefined;
      // Who decided: the page has one shared token, so the session id (not a person) is what the trail can name.
      const by = `web session ${session.id.slice(0, 8)}`;
      const jobId = await enqueueApprovalDecision(deps.queue, { approvalId: approval.id, incidentId: approval.incidentId, decision, planHash, by, channel: 'web', ...(comment ? { reason: comment } : {}) }, now);
      deps.logger.info({ approvalId: approval.id, by, channel: 'web' }, `${decision} of ${approval.id} queued (web)`);
      const settled = await awaitApprovalResult(deps.queue, jobId, deps.waitMs ?? 60_000);
      const view: DecisionView =
        settled.state === 'completed'
          ? { approvalId: approval.id, decision, status: settled.result.status, message: settled.result.message, outcome: settled.result.outcome }
          : settled.state === 'failed'
            ? { approvalId: approval.id, decision, status: 'failed', message: `The worker could not carry out the decision: ${settled.error}` }
            : { approvalId: approval.id, decision, status: 'queued', message: `The decision is queued (job ${jobId}); the worker has not finished it yet. Recent outcomes on the approvals page show the result.` };
      sendHtml(res, settled.state === 'completed' && settled.result.status === 'refused' ? 409 : 200, renderDecisionPage(view));
    } catch (error) {
      next(error);
    }
  });

  async function renderPage(session: UiSession): Promise<string> {
    const at = now();
    const pending = await deps.approvals.list(at, 'pending');
    let outcomes: Array<{ ts: string; actor: string; outcome: IncidentOutcome }> = [];
    let outcomesNote: string | undefined;
    try {
      const events = await deps.audit.read({ types: ['incident.outcome'], limit: 200 });
      outcomes = events.filter((e) => e.data && typeof e.data === 'object').map((e) => ({ ts: e.ts, actor: e.actor, outcome: e.data as unknown as IncidentOutcome }));
    } catch (error) {
      // The page still lists and decides approvals when the trail cannot be read.
      deps.logger.warn({ err: error }, 'approval page: could not read the audit trail');
      outcomesNote = 'The audit trail could not be read just now; outcomes are missing from this page.';
    }
    const awaiting = (id: string) => outcomes.findLast((o) => o.outcome.outcome === 'awaiting_approval' && o.outcome.approval?.id === id)?.outcome;
    return renderApprovalsPage({
      pending: pending.map((approval) => ({ approval, outcome: awaiting(approval.id) })),
      recent: outcomes.slice(-RECENT_OUTCOMES).reverse(),
      csrf: csrfTokenFor(key, session),
      now: at,
      outcomesNote,
    });
  }

  return router;
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
