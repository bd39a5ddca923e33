import { Counter, Histogram, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Every Prometheus metric the agent exports, on one registry per process (or per test). */
export interface Metrics {
  registry: Registry;
  webhookDeliveries: Counter<'outcome'>;
  jobs: Counter<'queue' | 'state'>;
  webhookLatency: Histogram<'outcome'>;
  llmTokens: Counter<'analyzer' | 'kind'>;
  diagnosisLatency: Histogram<'analyzer'>;
  actions: Counter<'decision' | 'level'>;
  verifications: Counter<'status'>;
  breakerOpen: Gauge<'scope'>;
}

export type WebhookOutcome = 'accepted' | 'duplicate' | 'ignored' | 'unauthorized' | 'invalid' | 'unavailable';

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'oncall_' });
  const registers = [registry];
  return {
    registry,
    webhookDeliveries: new Counter({
      name: 'oncall_webhook_deliveries_total',
      help: 'PagerDuty webhook deliveries by outcome',
      labelNames: ['outcome'],
      registers,
    }),
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
