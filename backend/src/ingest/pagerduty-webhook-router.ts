import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../observability/logger.js';
import type { Metrics, WebhookOutcome } from '../observability/metrics.js';
import { verifySignature } from '../pagerduty/verify-signature.js';
import { QueueUnavailableError, type IncidentQueue } from '../queue/incident-queue.js';
import { jobIncidentId } from '../queue/job-schemas.js';
import { decodeBody } from './decode-body.js';
import { eventToJob } from './event-to-job.js';
import { isJsonContentType } from './is-json-content-type.js';
import { parseEnvelope } from './parse-envelope.js';
import { pickDeliveryId } from './pick-delivery-id.js';
import { readRawBody } from './read-raw-body.js';

/** PagerDuty guarantees delivery up to 55 KB and tries up to 256 KB; twice that is refused with 413. */
export const MAX_BODY_BYTES = 512 * 1024;
export const WEBHOOK_PATH = '/webhooks/pagerduty';

export interface WebhookRouterDeps {
  /** PAGERDUTY_WEBHOOK_SECRETS; with none, every delivery is answered 401. */
  secrets: readonly string[];
  queue: IncidentQueue;
  metrics: Metrics;
  logger: Logger;
}

/**
 * POST /webhooks/pagerduty: content type → raw body (size) → signature → JSON + envelope → job → enqueue → 202.
 * Nothing is parsed before the signature is verified, and 2xx is sent only once the job is stored.
 */
export function createPagerDutyWebhookRouter(deps: WebhookRouterDeps): Router {
  const router = express.Router();
  const { logger, metrics } = deps;

  const answer = (req: Request, res: Response, status: number, outcome: WebhookOutcome, body: Record<string, unknown>) => {
    metrics.webhookDeliveries.inc({ outcome });
    const started = (req as Request & { receivedAt?: bigint }).receivedAt;
    if (started) metrics.webhookLatency.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    sendJson(res, status, body);
  };

  /** Everything after the body is read: signature, then JSON and envelope, then the job. */
  const handle = async (req: Request, res: Response, raw: Buffer, wire?: Buffer): Promise<void> => {
    const header = req.headers['x-pagerduty-signature'];
    const signature = Array.isArray(header) ? header.join(',') : header;
    // A compressed body may be signed as sent (the compressed bytes) or before compression: either proves the sender.
    if (!verifySignature(raw, signature, deps.secrets) && !(wire && verifySignature(wire, signature, deps.secrets))) {
      logger.warn(
        { webhookId: req.headers['x-webhook-id'], signed: Boolean(signature), secretsConfigured: deps.secrets.length },
        deps.secrets.length === 0 ? 'webhook refused: PAGERDUTY_WEBHOOK_SECRETS is not set' : 'webhook refused: signature does not match',
      );
      return answer(req, res, 401, 'unauthorized', { error: 'invalid or missing X-PagerDuty-Signature' });
    }

    const parsed = parseEnvelope(raw);
    if (!parsed.ok) {
      logger.warn({ webhookId: req.headers['x-webhook-id'], reason: parsed.reason }, 'webhook refused: invalid payload');
      return answer(req, res, 400, 'invalid', { error: parsed.reason });
    }
    const event = parsed.envelope.event;
    const deliveryId = pickDeliveryId(req.headers['x-webhook-id'], event.id);
    const disposition = eventToJob(event, deliveryId, new Date());
    const where = { deliveryId, eventId: event.id, eventType: event.event_type };

    if (disposition.action === 'reject') {
      logger.warn({ ...where, reason: disposition.reason }, 'webhook refused: invalid event data');
      return answer(req, res, 400, 'invalid', { error: disposition.reason });
    }
    if (disposition.action === 'ignore') {
      logger.info(where, `webhook recorded, no action: ${disposition.reason}`);
      return answer(req, res, 202, 'ignored', { status: 'ignored', eventType: event.event_type });
    }

    const incidentId = jobIncidentId(disposition.job);
    try {
      const { outcome, jobId } = await deps.queue.enqueue(disposition.job);
      logger.info({ ...where, incidentId, jobId, outcome }, outcome === 'added' ? 'webhook accepted: job queued' : 'webhook accepted: duplicate, job already queued');
      return answer(req, res, 202, outcome === 'added' ? 'accepted' : 'duplicate', { status: outcome === 'added' ? 'accepted' : 'duplicate', jobId });
    } catch (error) {
      // 503 makes PagerDuty retry the same delivery later; nothing was acknowledged, so nothing is lost.
      const message = error instanceof QueueUnavailableError ? error.message : `unexpected enqueue error: ${(error as Error)?.message}`;
      logger.error({ ...where, incidentId, err: { message } }, 'webhook not accepted: queue unavailable, PagerDuty will retry');
      res.setHeader('Retry-After', '5');
      return answer(req, res, 503, 'unavailable', { error: 'queue unavailable, retry later' });
    }
  };

  router.post(
    WEBHOOK_PATH,
    (req: Request, res: Response, next: NextFunction) => {
      (req as Request & { receivedAt?: bigint }).receivedAt = process.hrtime.bigint();
      if (!isJsonContentType(req.headers['content-type'])) {
        logger.warn({ contentType: req.headers['content-type'] }, 'webhook refused: content type is not application/json');
        return answer(req, res, 415, 'invalid', { error: 'content type must be application/json' });
      }
      // Raw bytes, whatever the charset: the signature covers exactly what was sent. PagerDuty sends plain bodies;
      // a compressed one (from a proxy) is inflated here, to at most the same limit.
      const encoding = req.headers['content-encoding'];
      readRawBody(req, MAX_BODY_BYTES, (error, wire) => {
        if (error) return next(error);
        if (encoding === undefined || encoding.trim().toLowerCase() === 'identity') return void handle(req, res, wire).catch(next);
        decodeBody(encoding, wire, MAX_BODY_BYTES, (decodeError, raw) => {
          if (decodeError) return next(decodeError);
          handle(req, res, raw, wire).catch(next);
        });
      });
    },
  );

  // The path exists but takes only POST: say so (405 + Allow) rather than 404, so a mistyped method is obvious.
  router.all(WEBHOOK_PATH, (_req: Request, res: Response) => {
    res.setHeader('Allow', 'POST');
    sendJson(res, 405, { error: 'method not allowed: PagerDuty webhooks are POSTed' });
  });

  // Body errors: 413 for an oversized body, 415 for an unknown encoding, 400 for an aborted or undecodable one.
  router.use(WEBHOOK_PATH, (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const err = error as { type?: string; status?: number; message?: string };
    if (res.headersSent) return next(error);
    if (err.type === 'entity.too.large') {
      logger.warn({ limit: MAX_BODY_BYTES }, 'webhook refused: body too large');
      return answer(req, res, 413, 'invalid', { error: `body larger than ${MAX_BODY_BYTES} bytes` });
    }
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 400;
    logger.warn({ reason: err.message }, 'webhook refused: unreadable body');
    return answer(req, res, status, 'invalid', { error: 'unreadable request body' });
  });

  return router;
}

/** What res.status(status).json(body) sends (this app sets no ETag), without express's per-call header juggling. */
function sendJson(res: Response, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
