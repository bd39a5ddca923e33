import type { Config } from '../config/index.js';
import type { AuditSink, Clock, ClusterReader, KubectlRunner } from '../domain/ports.js';
import type { RiskAssessment } from '../domain/risk.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ActionLedger } from '../ledger/action-ledger.js';
import type { ApprovalStore, BreakerStore, IdempotencyMarks, KillSwitchStore, LimitStore } from '../safety/safety-store.js';

/** The settings the execute stage reads (a slice of Config, so tests can pass only these). */
export type ExecuteConfig = Pick<
  Config,
  | 'EXECUTION_MODE'
  | 'MODE_OVERRIDES'
  | 'K8S_ENABLE_DESTRUCTIVE_OPERATIONS'
  | 'PROTECTED_NAMESPACES'
  | 'YOLO_MIN_CONFIDENCE'
  | 'YOLO_MIN_CONFIDENCE_HIGH'
  | 'SKIP_BELOW_CONFIDENCE'
  | 'KILL_SWITCH'
  | 'APPROVAL_TTL_SECONDS'
  | 'LEDGER_TTL_HOURS'
  | 'MAX_ACTIONS_PER_INCIDENT'
  | 'CLUSTER_RATE_LIMIT'
  | 'CLUSTER_RATE_WINDOW_SECONDS'
  | 'TARGET_COOLDOWN_SECONDS'
  | 'LOCK_TTL_SECONDS'
  | 'BREAKER_FAILURE_THRESHOLD'
  | 'BREAKER_OPEN_SECONDS'
  | 'BREAKER_HALF_OPEN_SUCCESSES'
  | 'BREAKER_SCOPE'
  | 'CLUSTER_NAME'
  | 'VERIFY_DEADLINE_SECONDS'
  | 'VERIFY_POLL_MS'
  | 'NO_CRASHLOOP_WINDOW_SECONDS'
  | 'AUTO_ROLLBACK'
>;

/** Risk scoring as the execute stage uses it (backend/src/risk/ bound to the configured policy). */
export interface RiskPort {
  /** Pure: tokenize, parse and score one command line. */
  assess(commandLine: string): RiskAssessment;
  /** The argv after "kubectl" that the assessment scored (never re-split from text). */
  argv(assessment: RiskAssessment): string[];
  /** Optional cluster-aware step: raises the level when the command would leave a workload with no ready replica. */
  blastRadius?(assessment: RiskAssessment): Promise<RiskAssessment>;
}

/** The safety state the execute stage reads and changes, one port per concern. One adapter may implement several. */
export interface ExecuteSafetyPorts {
  breakers: BreakerStore;
  killSwitch: KillSwitchStore;
  /** Target locks, cooldowns, the cluster rate window and the per-incident cap. */
  limits: LimitStore;
  marks: IdempotencyMarks;
  approvals: ApprovalStore;
}

/** The execute stage's ports other than the safety ones: what every step of the stage may use. */
export interface ExecuteCore {
  config: ExecuteConfig;
  runner: KubectlRunner;
  reader: ClusterReader;
  /** Every write's intent, result, verdict and rollback, durable across crashes (exactly-once writes). */
  ledger: ActionLedger;
  audit: AuditSink;
  clock: Clock;
  logger: Logger;
  risk: RiskPort;
  /** Identifies this worker as the owner of target locks. */
  workerId: string;
  metrics?: Pick<Metrics, 'actions' | 'verifications' | 'breakerOpen'>;
  signal?: AbortSignal;
}

/** Everything the execute stage touches. Each step asks only for the safety ports it uses (ExecuteDepsWith). */
export type ExecuteDeps = ExecuteCore & ExecuteSafetyPorts;

/** The core ports plus the named safety ports: `ExecuteDepsWith<'limits' | 'marks'>`. */
export type ExecuteDepsWith<K extends keyof ExecuteSafetyPorts> = ExecuteCore & Pick<ExecuteSafetyPorts, K>;

export type { ActionOutcome, ActionStatus, ExecutionRecord, ExecutionReport } from '../domain/execution-report.js';
