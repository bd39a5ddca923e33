import { Counter, Histogram, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Every Prometheus metric the agent exports, on one registry per process (or per test). */
export interface Metrics {
  registry: Registry;
  webhookDeliveries: Counter<'outcome'>;
  webhookReplaysRefused: Counter<'reason'>;
  jobs: Counter<'queue' | 'state'>;
  webhookLatency: Histogram<'outcome'>;
  llmTokens: Counter<'analyzer' | 'kind'>;
  diagnosisLatency: Histogram<'analyzer'>;
  actions: Counter<'decision' | 'level'>;
  verifications: Counter<'status'>;
  breakerOpen: Gauge<'scope'>;
}

export const WEBHOOK_OUTCOMES = ['accepted', 'duplicate', 'ignored', 'unauthorized', 'invalid', 'unavailable', 'stale'] as const;
/** Why a signed delivery was refused as a replay: its event is older than the retry window, or already has a job. */
export const REPLAY_REASONS = ['stale', 'duplicate-event'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];
/** The states oncall_jobs_total counts, for both queue adapters. */
export const JOB_STATES = ['added', 'duplicate', 'active', 'completed', 'retrying', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'oncall_' });
  const registers = [registry];
  const webhookDeliveries = new Counter({
    name: 'oncall_webhook_deliveries_total',
    help: 'PagerDuty webhook deliveries by outcome',
    labelNames: ['outcome'],
    registers,
  });
  // Every outcome is exported from the start (at 0), so rate() and alerts on e.g. "unauthorized" work before the first one.
  for (const outcome of WEBHOOK_OUTCOMES) webhookDeliveries.inc({ outcome }, 0);
  const webhookReplaysRefused = new Counter({
    name: 'oncall_webhook_replays_refused_total',
    help: 'Signed webhook deliveries refused as replays: stale (occurred_at older than WEBHOOK_MAX_EVENT_AGE_SECONDS) or duplicate-event (the event id already has a job)',
    labelNames: ['reason'],
    registers,
  });
  for (const reason of REPLAY_REASONS) webhookReplaysRefused.inc({ reason }, 0);
  return {
    registry,
    webhookDeliveries,
    webhookReplaysRefused,
    webhookLatency: new Histogram({
      name: 'oncall_webhook_duration_seconds',
      help: 'Time to answer a PagerDuty webhook delivery',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    jobs: new Counter({ name: 'oncall_jobs_total', help: 'Queue jobs by queue and state', labelNames: ['queue', 'state'], registers }),
    llmTokens: new Counter({
      name: 'oncall_llm_tokens_total',
      help: 'Model tokens by analyzer and kind (input, output, cache_read, cache_creation)',
      labelNames: ['analyzer', 'kind'],
      registers,
    }),
    diagnosisLatency: new Histogram({
      name: 'oncall_diagnosis_duration_seconds',
      help: 'Time to produce a remediation proposal',
      labelNames: ['analyzer'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    actions: new Counter({ name: 'oncall_actions_total', help: 'Actions by decision and risk level', labelNames: ['decision', 'level'], registers }),
    verifications: new Counter({ name: 'oncall_verifications_total', help: 'Verification verdicts', labelNames: ['status'], registers }),
    breakerOpen: new Gauge({ name: 'oncall_circuit_breaker_open', help: '1 while the circuit breaker is open', labelNames: ['scope'], registers }),
  };
}
