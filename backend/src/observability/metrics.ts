import { Counter, Histogram, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { OUTCOME_KINDS } from '../domain/outcome.js';

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
  pagerdutyWriteback: Counter<'step' | 'result'>;
  incidentOutcomes: Counter<'outcome' | 'mode' | 'analyzer'>;
  /** From incident.received to the mode decision, the first write, and the verified fix. */
  timeToDecision: Histogram<'mode' | 'analyzer'>;
  timeToFirstWrite: Histogram<'mode' | 'analyzer'>;
  timeToVerifiedFix: Histogram<'mode' | 'analyzer'>;
  /** Audit records a sink (jsonl, redis-stream, kube-events) failed to write, and whether its last write worked. */
  auditSinkFailures: Counter<'sink'>;
  auditSinkUp: Gauge<'sink'>;
}

/** Write-back step results: delivered, already (a retry found it done), skipped, failed (refused for good), gave_up. */
export const WRITEBACK_RESULTS = ['delivered', 'already', 'skipped', 'failed', 'gave_up'] as const;

export const WEBHOOK_OUTCOMES = ['accepted', 'duplicate', 'ignored', 'unauthorized', 'invalid', 'unavailable', 'stale'] as const;
/** Why a signed delivery was refused as a replay: its event is older than the retry window, or already has a job. */
export const REPLAY_REASONS = ['stale', 'duplicate-event'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];
/** The states oncall_jobs_total counts, for both queue adapters. */
export const JOB_STATES = ['added', 'duplicate', 'active', 'completed', 'retrying', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Label values of the outcome series, all exported at 0 from the start ("none": the run failed before diagnosing). */
export const OUTCOME_LABELS = {
  outcome: OUTCOME_KINDS,
  mode: ['yolo', 'approval', 'plan'],
  analyzer: ['runbook', 'claude', 'none'],
} as const;

const TIMING_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

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
  const incidentOutcomes = new Counter({
    name: 'oncall_incident_outcomes_total',
    help: 'Incident runs (triage and approved plans) by how they ended, mode and analyzer',
    labelNames: ['outcome', 'mode', 'analyzer'],
    registers,
  });
  const timing = (name: string, help: string) => new Histogram({ name, help, labelNames: ['mode', 'analyzer'], buckets: TIMING_BUCKETS, registers });
  const timeToDecision = timing('oncall_incident_time_to_decision_seconds', 'From incident.received to the mode decision');
  const timeToFirstWrite = timing('oncall_incident_time_to_first_write_seconds', 'From incident.received to the first write to the cluster');
  const timeToVerifiedFix = timing('oncall_incident_time_to_verified_fix_seconds', 'From incident.received to the verified fix');
  for (const mode of OUTCOME_LABELS.mode) {
    for (const analyzer of OUTCOME_LABELS.analyzer) {
      for (const outcome of OUTCOME_LABELS.outcome) incidentOutcomes.inc({ outcome, mode, analyzer }, 0);
      for (const histogram of [timeToDecision, timeToFirstWrite, timeToVerifiedFix]) histogram.zero({ mode, analyzer });
    }
  }
  return {
    incidentOutcomes,
    timeToDecision,
    timeToFirstWrite,
    timeToVerifiedFix,
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
    pagerdutyWriteback: writebackCounter(registers),
    auditSinkFailures: new Counter({
      name: 'oncall_audit_sink_failures_total',
      help: 'Audit records an audit sink failed to write (the other sinks still got them); alert on any increase of sink="jsonl"',
      labelNames: ['sink'],
      registers,
    }),
    auditSinkUp: new Gauge({ name: 'oncall_audit_sink_up', help: '1 while the audit sink\'s last write succeeded, 0 while it is failing', labelNames: ['sink'], registers }),
  };
}

function writebackCounter(registers: Registry[]): Counter<'step' | 'result'> {
  const counter = new Counter({
    name: 'oncall_pagerduty_writeback_total',
    help: 'PagerDuty write-back steps (note, acknowledge, resolve, change) by result; gave_up means PagerDuty stayed unreachable',
    labelNames: ['step', 'result'],
    registers,
  });
  for (const step of ['note', 'acknowledge', 'resolve', 'change']) for (const result of WRITEBACK_RESULTS) counter.inc({ step, result }, 0);
  return counter;
}
