import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../observability/logger.js';
import type { Metrics, WebhookOutcome } from '../observability/metrics.js';
import { createSignatureVerifier } from '../pagerduty/verify-signature.js';
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
  /** WEBHOOK_MAX_EVENT_AGE_SECONDS: a signed event that occurred longer ago is refused as a replay. */
  maxEventAgeSeconds?: number;
  /** Clock for the age check (tests). */
  now?: () => number;
}

/** PagerDuty retries a failed delivery for a bounded time; a day covers it with room, and stays under the 72 h dedup. */
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400;

/**
 * POST /webhooks/pagerduty: content type → raw body (size) → signature → JSON + envelope → job → enqueue → 202.
 * Nothing is parsed before the signature is verified, and 2xx is sent only once the job is stored.
 */
export function createPagerDutyWebhookRouter(deps: WebhookRouterDeps): Router {
  const router = express.Router();
  const { logger, metrics } = deps;
  const maxAgeMs = (deps.maxEventAgeSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS) * 1_000;
  const now = deps.now ?? Date.now;
  const verifySignature = createSignatureVerifier(deps.secrets);

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
    if (!verifySignature(raw, signature) && !(wire && verifySignature(wire, signature))) {
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
    // X-Webhook-Id is not signed: a captured delivery re-sent with a fresh header must not become new work. The job is
    // keyed on the signed event id, so every copy of one event (a retry, a replay, a second subscription) is one job.
    const webhookId = pickDeliveryId(req.headers['x-webhook-id'], event.id);
    const deliveryId = event.id;
    const where = { deliveryId, webhookId, eventId: event.id, eventType: event.event_type };

    // V3 signatures carry no timestamp; the signed occurred_at bounds how long a captured delivery stays replayable.
    const occurredAt = Date.parse(event.occurred_at);
    if (!Number.isFinite(occurredAt)) {
      logger.warn({ ...where, occurredAt: event.occurred_at.slice(0, 64) }, 'webhook refused: event.occurred_at is not a timestamp');
      return answer(req, res, 400, 'invalid', { error: 'event.occurred_at is not a timestamp' });
    }
    const age = now() - occurredAt;
    if (age > maxAgeMs) {
      metrics.webhookReplaysRefused.inc({ reason: 'stale' });
      logger.warn({ ...where, occurredAt: event.occurred_at, ageSeconds: Math.round(age / 1_000) }, 'webhook refused: event is older than WEBHOOK_MAX_EVENT_AGE_SECONDS (replay or very late retry)');
      return answer(req, res, 422, 'stale', { error: `event occurred more than ${Math.round(maxAgeMs / 1_000)} s ago (WEBHOOK_MAX_EVENT_AGE_SECONDS): refused as a replay` });
    }
    const disposition = eventToJob(event, deliveryId, new Date(), webhookId);

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
      if (outcome !== 'added') metrics.webhookReplaysRefused.inc({ reason: 'duplicate-event' });
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
      // Answered as soon as the cap is passed, without reading the rest; the connection is closed after the answer, so
      // a body that never ends holds nothing.
      logger.warn({ limit: MAX_BODY_BYTES }, 'webhook refused: body too large');
      res.setHeader('Connection', 'close');
      res.once('finish', () => closeAfterAnswer(req));
      return answer(req, res, 413, 'invalid', { error: `body larger than ${MAX_BODY_BYTES} bytes` });
    }
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 400;
    logger.warn({ reason: err.message }, 'webhook refused: unreadable body');
    return answer(req, res, status, 'invalid', { error: 'unreadable request body' });
  });

  return router;
}

/**
 * Ends the connection once the answer is flushed: stop reading the body, half-close, and destroy the socket shortly
 * after (a client still sending would otherwise keep it open). The short delay lets the client read the 413 before
 * the reset that unread data causes.
 */
function closeAfterAnswer(req: Request): void {
  const socket = req.socket;
  req.unpipe();
  req.pause();
  socket.end();
  setTimeout(() => socket.destroy(), 250).unref();
}

/** What res.status(status).json(body) sends (this app sets no ETag), without express's per-call header juggling. */
function sendJson(res: Response, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
