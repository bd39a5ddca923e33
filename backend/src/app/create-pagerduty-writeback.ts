// Builds the PagerDuty write-back from config: the REST writer, the Events v2 client, the idempotency ledger and the
// incident marks (Redis when REDIS_URL is set, so every worker shares them), and the re-check that guards a resolve.
// Without PAGERDUTY_API_TOKEN it returns a runtime that writes nothing and says so once.
import type { Config } from '../config/index.js';
import type { ExecutionMode } from '../domain/decision.js';
import type { Incident } from '../domain/incident.js';
import type { IncidentOutcome } from '../domain/outcome.js';
import type { AuditSink, ClusterReader } from '../domain/ports.js';
import type { RemediationProposal } from '../domain/proposal.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createEventsClient } from '../pagerduty/events-client.js';
import { planAcknowledgeWriteback, planApprovalExpiredWriteback, planNoticeWriteback, planOutcomeWriteback, type WritebackPolicy } from '../pagerduty/plan-writeback.js';
import { createPagerDutyWriter } from '../pagerduty/rest-writer.js';
import { createMemoryWritebackLedger } from '../pagerduty/writeback-ledger.js';
import { runWritebackJob } from '../pipeline/run-writeback-job.js';
import type { JobContext } from '../queue/incident-queue.js';
import type { IncidentJobData, WritebackJobData } from '../queue/job-schemas.js';
import { createRedis, type Redis } from '../redis/create-redis.js';
import { createRedisIncidentMarks } from '../redis/redis-incident-marks.js';
import { createRedisWritebackLedger } from '../redis/redis-writeback-ledger.js';
import { createMemoryIncidentMarks, type IncidentMarks } from '../safety/incident-marks.js';
import { recheckSymptom } from '../verify/recheck-symptom.js';
import { approvalWaysOf } from './approval-ways.js';
import { resolvePickupMode } from './pickup-mode.js';

export interface PagerDutyWriteback {
  /** True when PAGERDUTY_API_TOKEN is set. */
  readonly enabled: boolean;
  /** Marks shared with the lifecycle pipeline (resolved, human-ack). */
  readonly marks: IncidentMarks;
  /** ACK_ON_PICKUP: queue an acknowledge for the incident a triage job picked up (never for a plan-mode run). */
  onPickup(incident: Incident, triageJobId: string, mode: ExecutionMode): Promise<void>;
  /** Queue the notes (and change events, and a resolve when allowed) for one recorded outcome. */
  onOutcome(outcome: IncidentOutcome, proposal?: RemediationProposal): Promise<void>;
  /** Queue the note that a pending approval expired and nothing was executed. */
  onApprovalExpired(approval: { id: string; incidentId: string; commands: readonly string[]; expiresAt: number }): Promise<void>;
  /** Posts a short note (at most a few lines, agent-written text), once per key. */
  notify(incidentId: string, key: string, lines: string[]): Promise<void>;
  /** Runs a write-back job (the queue worker's handler calls this). */
  runJob(job: WritebackJobData, ctx: JobContext): Promise<void>;
  /** The agent's own PagerDuty user id; undefined without a token or while the lookup fails. Cached once known. */
  ownUserId(): Promise<string | undefined>;
  /** The mode an incident runs in before diagnosis (EXECUTION_MODE, and the overrides of its service and of the namespaces its alert names). */
  pickupMode(incident: Incident): ExecutionMode;
  close(): Promise<void>;
}

export interface WritebackDeps {
  reader: ClusterReader;
  audit: AuditSink;
  logger: Logger;
  metrics?: Metrics;
  /** Stores a job on the incident queue; absent (a one-shot CLI run): nothing is written back. */
  enqueue?: (job: IncidentJobData) => Promise<unknown>;
  /** When a pending approval expires, for the announcement. */
  approvalExpiresAt?: (approvalId: string) => Promise<number | undefined>;
  now?: () => number;
}

/** Per PagerDuty call, retries included: a write-back job attempt stays short, the queue retries it later. */
const CALL_BUDGET = { maxTotalMs: 8_000, baseDelayMs: 500, maxDelayMs: 4_000 };

export function createPagerDutyWriteback(config: Config, deps: WritebackDeps): PagerDutyWriteback {
  const now = deps.now ?? Date.now;
  const clients: Redis[] = [];
  const redis = () => {
    const client = createRedis(config.REDIS_URL!, 'command');
    clients.push(client);
    return client;
  };
  const shared = config.REDIS_URL ? redis() : undefined;
  const marks = shared ? createRedisIncidentMarks(shared, config.REDIS_KEY_PREFIX) : createMemoryIncidentMarks();
  const close = async () => void (await Promise.allSettled(clients.map((c) => c.quit())));
  const pickupMode = (incident: Incident) => resolvePickupMode(config.EXECUTION_MODE as ExecutionMode, config.MODE_OVERRIDES, incident);

  if (!config.PAGERDUTY_API_TOKEN || !config.PAGERDUTY_FROM_EMAIL) {
    return {
      enabled: false,
      marks,
      onPickup: async () => undefined,
      onOutcome: async () => undefined,
      onApprovalExpired: async () => undefined,
      notify: async () => undefined,
      // A job queued by a process that had a token: leave it to one that has, rather than fail it here.
      runJob: async (job, ctx) => ctx.logger.warn({ key: job.key }, `PAGERDUTY_API_TOKEN is not set in this worker: write-back for incident ${job.incidentId} skipped`),
      ownUserId: async () => undefined,
      pickupMode,
      close,
    };
  }

  const writer = createPagerDutyWriter({ token: config.PAGERDUTY_API_TOKEN, fromEmail: config.PAGERDUTY_FROM_EMAIL, apiUrl: config.PAGERDUTY_API_URL, retry: CALL_BUDGET });
  const events = config.PAGERDUTY_ROUTING_KEY ? createEventsClient({ routingKey: config.PAGERDUTY_ROUTING_KEY, eventsUrl: config.PAGERDUTY_EVENTS_URL, retry: CALL_BUDGET, clientUrl: config.PUBLIC_URL }) : undefined;
  const ledger = shared ? createRedisWritebackLedger(shared, config.REDIS_KEY_PREFIX) : createMemoryWritebackLedger();
  const ports = { writer, events, ledger, recheck: (target: { kind: string; namespace?: string; name: string }) => recheckSymptom(target, deps.reader) };
  const giveUpMs = config.PAGERDUTY_WRITEBACK_GIVE_UP_SECONDS * 1_000;
  const retry = writebackRetry(config.PAGERDUTY_WRITEBACK_BACKOFF_MS, giveUpMs);
  const policyFor = (mode: ExecutionMode): WritebackPolicy => ({
    resolveOnVerified: config.RESOLVE_ON_VERIFIED ?? mode === 'yolo',
    changeEvents: events !== undefined,
    approvalWays: approvalWaysOf(config),
    // The approval page (/ui/approvals) is mounted only with APPROVAL_TOKEN; link to it only when it exists.
    ...(config.APPROVAL_TOKEN && config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
    giveUpMs,
    retry,
  });
  const enqueue = async (job: WritebackJobData, what: string) => {
    if (!deps.enqueue) return;
    // Never fails the run it reports on: a full or unreachable queue costs the note, not the remediation.
    await deps.enqueue(job).catch((error: unknown) => deps.logger.warn({ err: error, key: job.key }, `could not queue the PagerDuty ${what} for incident ${job.incidentId}`));
  };
  let ownUser: string | undefined;

  return {
    enabled: true,
    marks,
    async onPickup(incident, triageJobId, mode) {
      if (incident.source !== 'pagerduty') return;
      if (!(config.ACK_ON_PICKUP ?? mode !== 'plan')) return;
      await enqueue(planAcknowledgeWriteback(incident.id, triageJobId, { giveUpMs, retry }, now()), 'acknowledgement');
    },
    async onOutcome(outcome, proposal) {
      const approvalExpiresAt = outcome.approval ? await deps.approvalExpiresAt?.(outcome.approval.id).catch(() => undefined) : undefined;
      const job = planOutcomeWriteback({ outcome, evidence: proposal?.evidence, approvalExpiresAt, now: now() }, policyFor(outcome.mode));
      if (job.steps.length > 0) await enqueue(job, 'notes');
    },
    async onApprovalExpired(approval) {
      await enqueue(planApprovalExpiredWriteback(approval, { giveUpMs, retry }, now()), 'approval expiry note');
    },
    async notify(incidentId, key, lines) {
      await enqueue(planNoticeWriteback(incidentId, key, lines, { giveUpMs, retry }, now()), 'notice');
    },
    runJob: (job, ctx) => runWritebackJob(job, ctx, { ports, audit: deps.audit, metrics: deps.metrics, now }),
    async ownUserId() {
      if (ownUser) return ownUser;
      try {
        ownUser = (await writer.getOwnUser()).id;
      } catch (error) {
        deps.logger.warn({ err: error }, 'could not look up the agent\'s own PagerDuty user (PAGERDUTY_FROM_EMAIL); acknowledgements are treated as a person\'s until it is known');
      }
      return ownUser;
    },
    pickupMode,
    close,
  };
}

/**
 * The write-back job's own retry: exponential from backoffMs, each wait capped (at most a minute, and a twentieth of
 * the give-up time), with enough attempts to span the give-up time; the job itself stops at giveUpAt.
 */
export function writebackRetry(backoffMs: number, giveUpMs: number): WritebackJobData['retry'] {
  const maxBackoffMs = Math.max(backoffMs, Math.min(60_000, Math.floor(giveUpMs / 20)));
  let attempts = 1;
  for (let spent = 0; spent < giveUpMs && attempts < 1_000; attempts += 1) spent += Math.min(maxBackoffMs, backoffMs * 2 ** (attempts - 1));
  return { attempts: attempts + 1, backoffMs, maxBackoffMs };
}
