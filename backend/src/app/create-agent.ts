// The composition root: the one place that builds the running agent from config. Every entry point (serve in every
// role, `plan`, `approve`/`deny`, and later HTTP approvals, MCP and the chaos run) calls createAgent; tests call it
// with their own adapters. No other module builds stage dependencies.
import { createEventWriterFromKubeConfig } from '../cluster/client-node-event-writer.js';
import { createClientNodeReader } from '../cluster/client-node-reader.js';
import { createKubeConfig } from '../cluster/create-kube-config.js';
import { createAuditTrail, type AuditTrail } from '../audit/create-audit.js';
import type { Config } from '../config/index.js';
import { createDiagnoseDeps } from '../diagnose/create-diagnose-deps.js';
import { diagnoseIncident } from '../diagnose/index.js';
import type { ExecutionMode } from '../domain/decision.js';
import type { Incident } from '../domain/incident.js';
import type { Clock, ClusterReader, KubectlRunner } from '../domain/ports.js';
import { executeApprovedPlan } from '../execute/approvals.js';
import { createExecuteDeps } from '../execute/create-execute-deps.js';
import type { ExecuteDeps } from '../execute/execute-deps.js';
import { executeProposal } from '../execute/execute-proposal.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createIncidentJobHandler } from '../pipeline/incident-job-handler.js';
import { recordAbandonedJob } from '../pipeline/record-abandoned-job.js';
import type { PipelineDeps } from '../pipeline/pipeline-deps.js';
import { triageIncident, type TriageOptions, type TriageResult } from '../pipeline/triage-incident.js';
import type { IncidentJobHandler } from '../queue/incident-queue.js';
import { approvePlan, cancelApprovalsOfResolvedIncident, claimReplan, denyPlan } from '../safety/approvals.js';
import { createSafetyStore } from '../safety/create-safety-store.js';
import type { SafetyStore } from '../safety/safety-store.js';
import type { ActionLedger } from '../ledger/action-ledger.js';
import type { ActiveJobsSource } from '../tools/types.js';
import type { IncidentJobData } from '../queue/job-schemas.js';
import { withPagerDuty } from '../pipeline/with-pagerduty.js';
import { createPagerDutyWriteback, type PagerDutyWriteback } from './create-pagerduty-writeback.js';

/** Adapters a test (or a later entry point) may supply instead of the ones built from config. */
export interface AgentAdapters {
  reader?: ClusterReader;
  runner?: KubectlRunner;
  safety?: SafetyStore;
  /** The action ledger (default: Redis with REDIS_URL, else STATE_DIR/ledger). */
  ledger?: ActionLedger;
  audit?: AuditTrail;
  clock?: Clock;
  /** Replaces the diagnose stage (a test that fixes the proposal). */
  diagnose?: PipelineDeps['diagnose'];
}

export interface AgentOptions {
  logger: Logger;
  metrics?: Metrics;
  /** Owner name of target locks (default worker-<pid>). */
  workerId?: string;
  /** Without PagerDuty, list_related_alerts shows the open triage jobs from the queue. */
  activeJobs?: ActiveJobsSource;
  adapters?: AgentAdapters;
  /**
   * Stores a job on the incident queue (a worker's agent): PagerDuty write-back (notes, acknowledge, resolve) runs as
   * queued jobs. Without it (a one-shot CLI run) nothing is written back to PagerDuty.
   */
  enqueue?: (job: IncidentJobData) => Promise<unknown>;
}

export interface Agent {
  config: Config;
  safety: SafetyStore;
  audit: AuditTrail;
  /** The execute stage's ports (for tests that drive the execute stage alone). */
  execute: ExecuteDeps;
  /** The stages, for the pipeline functions in backend/src/pipeline/. */
  pipeline: PipelineDeps;
  /** Runs the triage pipeline for one incident and returns its outcome (MCP `remediate`, test-yolo, `plan`). */
  triage(incident: Incident, options?: TriageOptions & { signal?: AbortSignal; logger?: Logger }): Promise<TriageResult>;
  /** What a queue worker runs for every job: triage, approval decisions, lifecycle changes, PagerDuty write-back. */
  handleJob: IncidentJobHandler;
  /** Writes the ending of a job the queue failed without its handler finishing (stalled for good). */
  recordAbandoned(data: unknown, reason: string): Promise<void>;
  /** PagerDuty write-back (disabled without PAGERDUTY_API_TOKEN or without a queue). */
  pagerDuty: PagerDutyWriteback;
  close(): Promise<void>;
}

export function createAgent(config: Config, options: AgentOptions): Agent {
  const { logger, metrics } = options;
  const adapters = options.adapters ?? {};
  const kc = createKubeConfig(config);
  const reader = adapters.reader ?? createClientNodeReader(kc, { timeoutMs: config.CLUSTER_READ_TIMEOUT_MS });
  const safety = adapters.safety ?? createSafetyStore(config);
  const audit = adapters.audit ?? createAuditTrail(config, { logger, metrics, eventWriter: createEventWriterFromKubeConfig(kc) });
  const execute = createExecuteDeps(config, { reader, runner: adapters.runner, safety, ledger: adapters.ledger, audit: audit.sink, logger, metrics, clock: adapters.clock, workerId: options.workerId });
  const diagnoseDeps = adapters.diagnose ? undefined : createDiagnoseDeps(config, logger, metrics, { activeJobs: options.activeJobs, reader });
  const now = () => execute.clock.now();
  const approvalDeps = (sink = audit.sink) => ({ store: safety, audit: sink, now });
  const pagerDuty = createPagerDutyWriteback(options.enqueue ? config : { ...config, PAGERDUTY_API_TOKEN: undefined, REDIS_URL: undefined }, {
    reader,
    audit: audit.sink,
    logger,
    metrics,
    enqueue: options.enqueue,
    approvalExpiresAt: async (id) => (await safety.getApproval(id, now()))?.expiresAt,
    now,
  });
  // Filled in once the wrapped handler exists: a person's acknowledgement turns the incident's active run to plan mode.
  let forcedToPlan: (incidentId: string) => Promise<boolean> = async () => false;

  const pipeline: PipelineDeps = {
    audit: audit.sink,
    metrics,
    mode: config.EXECUTION_MODE as ExecutionMode,
    now,
    diagnose: adapters.diagnose ?? ((incident, log, signal) => diagnoseIncident(incident, { ...diagnoseDeps!, logger: log }, signal)),
    execute: async (incident, proposal, run) => {
      // Plan mode forced by the caller, or by a person who acknowledged the incident in PagerDuty before the agent acts:
      // every command is previewed, whatever EXECUTION_MODE and MODE_OVERRIDES say.
      const plan = run.mode === 'plan' || (await forcedToPlan(incident.id));
      const cfg = plan ? { ...execute.config, EXECUTION_MODE: 'plan' as const, MODE_OVERRIDES: [] } : execute.config;
      return executeProposal({ ...execute, config: cfg, audit: run.audit, logger: run.logger, signal: run.signal }, incident, proposal);
    },
    approvals: {
      get: (id) => safety.getApproval(id, now()),
      approve: (id, by, planHash, sink) => approvePlan(approvalDeps(sink), id, by, planHash),
      deny: (id, by, reason, sink) => denyPlan(approvalDeps(sink), id, by, reason),
      run: (id, run) => executeApprovedPlan(id, { ...execute, audit: run.audit, logger: run.logger.child({ approvalId: id }), signal: run.signal }),
      claimReplan: (id, incidentId) => claimReplan(safety, id, incidentId),
    },
    onIncidentResolved: async (incidentId) => {
      await cancelApprovalsOfResolvedIncident({ store: safety, audit: audit.sink, now }, incidentId);
    },
    onOutcome: (outcome, proposal) => pagerDuty.onOutcome(outcome, proposal),
    outcomeMarks: safety,
    // A refused approval's re-plan is an ordinary triage job; without a queue (a one-shot CLI run) none is made.
    ...(options.enqueue ? { enqueue: options.enqueue } : {}),
  };
  const enqueue = options.enqueue;
  const wrapped = withPagerDuty(createIncidentJobHandler(pipeline), pagerDuty, {
    audit: audit.sink,
    humanAckForcesPlan: config.HUMAN_ACK_FORCES_PLAN,
    now,
    // `/approve <id>` notes become the same queued decision as every other channel's.
    approvals: enqueue ? { get: (id) => safety.getApproval(id, now()), enqueue, approverIds: config.APPROVER_PAGERDUTY_USER_IDS } : undefined,
  });
  forcedToPlan = wrapped.isForcedToPlan;

  return {
    config,
    safety,
    audit,
    execute,
    pipeline,
    triage: (incident, opts = {}) => triageIncident(incident, pipeline, opts.logger ?? logger, opts.signal ?? new AbortController().signal, opts),
    handleJob: wrapped.handler,
    recordAbandoned: (data, reason) => recordAbandonedJob(pipeline, data, reason, logger),
    pagerDuty,
    close: async () => {
      await Promise.allSettled([adapters.safety ? undefined : safety.close(), adapters.ledger ? undefined : execute.ledger.close(), adapters.audit ? undefined : audit.close(), pagerDuty.close(), diagnoseDeps?.externalTools?.close()]);
    },
  };
}
