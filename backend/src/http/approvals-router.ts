// Approval channels over HTTP: the API (GET /approvals, POST /approvals/:id/approve|deny, Bearer APPROVAL_TOKEN) and
// the PagerDuty Incident Workflow / custom action endpoint (POST /webhooks/pagerduty/actions, shared-secret header).
// Both end in the same queued approval decision as the CLI and PagerDuty notes: the HTTP request never runs the plan.
import { timingSafeEqual, createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { awaitApprovalResult, enqueueApprovalDecision } from '../app/approval-channel.js';
import type { PendingApproval } from '../domain/approval.js';
import type { Logger } from '../observability/logger.js';
import type { IncidentQueue } from '../queue/incident-queue.js';
import { createFailedAuthLimit, type FailedAuthLimit } from './failed-auth-limit.js';

export interface ApprovalsRouterDeps {
  /** Reads approvals (the shared safety store). */
  approvals: { list(now: number, status?: PendingApproval['status']): Promise<PendingApproval[]>; get(id: string, now: number): Promise<PendingApproval | undefined> };
  queue: IncidentQueue;
  logger: Logger;
  /** APPROVAL_TOKEN: unset, the API answers 503 (never open). */
  token?: string;
  /** PAGERDUTY_ACTIONS_SECRET: unset, the actions endpoint answers 503. */
  actionsSecret?: string;
  /** How long a decision request waits for the worker before answering 202 (default 30 s). */
  waitMs?: number;
  now?: () => number;
  /** Wrong-secret counting per client address, shared with the approval page (default: one of this router's own). */
  failedAuth?: FailedAuthLimit;
}

/** The header a PagerDuty workflow's "Send Webhook" step sets to PAGERDUTY_ACTIONS_SECRET. */
export const ACTIONS_SECRET_HEADER = 'x-oncall-agent-secret';

const decisionBody = z.object({
  approver: z.string().trim().min(1).max(200),
  comment: z.string().max(2_000).optional(),
  /** The plan hash the approver reviewed (from GET /approvals); default: the stored plan's. */
  planHash: z.string().trim().regex(/^[0-9a-f]{8,64}$/i).optional(),
});

const actionBody = z.object({
  incident_id: z.string().trim().min(1).max(128),
  decision: z.enum(['approve', 'deny']),
  approver: z.string().trim().min(1).max(200).optional(),
  approval_id: z.string().trim().min(1).max(128).optional(),
});

/** Constant-time comparison of two secrets (hashed first, so lengths never leak through timing). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

export function createApprovalsRouter(deps: ApprovalsRouterDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  const json = express.json({ limit: '16kb' });
  const failedAuth = deps.failedAuth ?? createFailedAuthLimit();

  /** False (and answered 429) while this client address is refused for too many wrong secrets. */
  const notLockedOut = (req: Request, res: Response): boolean => {
    const wait = failedAuth.retryAfterSeconds(req.ip ?? '', now());
    if (wait === 0) return true;
    return void res.status(429).set('Retry-After', String(wait)).json({ error: `too many wrong secrets from this address; try again in ${wait} s` }), false;
  };
  const refuseSecret = (req: Request, what: string) => {
    if (failedAuth.recordFailure(req.ip ?? '', now())) deps.logger.warn({ ip: req.ip }, `approvals: too many wrong ${what} from ${req.ip ?? 'an unknown address'}; refusing it for a while`);
  };

  const bearer = (req: Request, res: Response): boolean => {
    if (!deps.token) return void res.status(503).json({ error: 'the approvals API is off: set APPROVAL_TOKEN' }), false;
    if (!notLockedOut(req, res)) return false;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(header);
    if (!m || !secretsEqual(m[1], deps.token)) {
      refuseSecret(req, 'approval tokens');
      return void res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'a valid Authorization: Bearer <APPROVAL_TOKEN> is required' }), false;
    }
    return true;
  };

  const decide = async (res: Response, approval: PendingApproval, decision: 'approve' | 'deny', by: string, channel: string, reason?: string, planHash?: string) => {
    const jobId = await enqueueApprovalDecision(deps.queue, { approvalId: approval.id, incidentId: approval.incidentId, decision, planHash: planHash ?? approval.planHash, by, channel, ...(reason ? { reason } : {}) }, now);
    deps.logger.info({ approvalId: approval.id, by, channel }, `${decision} of ${approval.id} queued (${channel})`);
    const settled = await awaitApprovalResult(deps.queue, jobId, deps.waitMs ?? 30_000);
    if (settled.state === 'completed') {
      const { report: _report, ...result } = settled.result;
      return res.status(result.status === 'refused' ? 409 : 200).json(result);
    }
    if (settled.state === 'failed') return res.status(500).json({ jobId, error: settled.error });
    return res.status(202).json({ jobId, state: 'queued', message: 'the decision is queued; the worker has not finished it yet' });
  };

  router.get('/approvals', async (req, res) => {
    if (!bearer(req, res)) return;
    const pending = await deps.approvals.list(now(), 'pending');
    res.json(pending.map(({ payload: _payload, ...a }) => ({ ...a, createdAt: new Date(a.createdAt).toISOString(), expiresAt: new Date(a.expiresAt).toISOString() })));
  });

  router.post('/approvals/:id/:decision', json, async (req, res) => {
    if (!bearer(req, res)) return;
    const decision = req.params.decision;
    if (decision !== 'approve' && decision !== 'deny') return void res.status(404).json({ error: 'not found' });
    const body = decisionBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json({ error: `invalid body: ${body.error.issues[0].path.join('.') || '(root)'}: ${body.error.issues[0].message}` });
    const approval = await deps.approvals.get(String(req.params.id), now());
    if (!approval) return void res.status(404).json({ error: `no approval ${String(req.params.id).slice(0, 128)}` });
    await decide(res, approval, decision, `${body.data.approver} (http)`, 'http', body.data.comment, body.data.planHash);
  });

  router.post('/webhooks/pagerduty/actions', json, async (req, res) => {
    if (!deps.actionsSecret) return void res.status(503).json({ error: 'the actions endpoint is off: set PAGERDUTY_ACTIONS_SECRET' });
    if (!notLockedOut(req, res)) return;
    const given = req.headers[ACTIONS_SECRET_HEADER];
    if (typeof given !== 'string' || !secretsEqual(given, deps.actionsSecret)) {
      refuseSecret(req, 'action secrets');
      return void res.status(401).json({ error: `a valid ${ACTIONS_SECRET_HEADER} header is required` });
    }
    const body = actionBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json({ error: `invalid body: ${body.error.issues[0].path.join('.') || '(root)'}: ${body.error.issues[0].message}` });
    const ofIncident = (await deps.approvals.list(now())).filter((a) => a.incidentId === body.data.incident_id && (!body.data.approval_id || a.id === body.data.approval_id));
    const pending = ofIncident.filter((a) => a.status === 'pending');
    if (pending.length === 0) {
      // A workflow run twice (or after another channel decided) is answered like a second approve over the API: the
      // incident's latest plan goes to the worker, which answers 409 naming why (already executed, denied, expired,
      // cancelled), or runs an approved plan that the kill switch or the breaker held back.
      const latest = ofIncident.at(-1);
      if (!latest) return void res.status(404).json({ error: `no approval for incident ${body.data.incident_id}` });
      return void (await decide(res, latest, body.data.decision, `${body.data.approver ?? 'PagerDuty workflow'} (pagerduty action)`, 'pagerduty-action'));
    }
    // Two plans waiting on one incident: the workflow must name the one it means, never approve a guess.
    if (pending.length > 1) return void res.status(409).json({ error: 'several approvals are pending for this incident; send approval_id', approvals: pending.map((a) => a.id) });
    await decide(res, pending[0], body.data.decision, `${body.data.approver ?? 'PagerDuty workflow'} (pagerduty action)`, 'pagerduty-action');
  });

  return router;
}
