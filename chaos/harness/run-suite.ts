// The whole product under test: kube-sim (or a real cluster), a fake PagerDuty REST API, the real daemon (or one
// already running), then every scenario, round after round. test-yolo, the demo and the eval all run through here.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import type { AuditReader } from '../../backend/src/audit/audit-reader.js';
import { createAuditReader } from '../../backend/src/audit/create-audit.js';
import type { ExecutionMode } from '../../backend/src/domain/decision.js';
import { startSim, type RunningSim } from '../sim/start-sim.js';
import { listComparableResources } from './cluster-snapshot.js';
import { FAKE_PD_TOKEN, startFakePagerDuty, type FakePagerDutyServer } from './fake-pagerduty-server.js';
import { kubectlFor } from './kubectl.js';
import type { Scenario } from './load-scenarios.js';
import { createLaneLock, needsExclusiveRun } from './lanes.js';
import { realPagerFromEnv } from './real-pager.js';
import { runScenario, type ApprovalChannel, type SuiteContext } from './run-scenario.js';
import type { ScenarioResult } from './score-run.js';
import { startDaemon, type RunningDaemon } from './start-daemon.js';
import { hasRedisServer, startPrivateRedis, type PrivateRedis } from './start-redis.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'oncall-agent.js');

/** Fast clocks and short verification windows, so a run takes minutes, printed with every report. */
export interface RunSpeed {
  /** kube-sim's time speed-up (back-off, probes, pulls). */
  simSpeed: number;
  /** The agent's NO_CRASHLOOP_WINDOW_SECONDS. */
  noCrashLoopWindowSeconds: number;
  /** The agent's VERIFY_POLL_MS. */
  verifyPollMs: number;
  /** The agent's VERIFY_DEADLINE_SECONDS. */
  verifyDeadlineSeconds: number;
}

export const DEFAULT_SPEED: RunSpeed = { simSpeed: 20, noCrashLoopWindowSeconds: 3, verifyPollMs: 250, verifyDeadlineSeconds: 60 };

export interface SuiteOptions {
  mode: ExecutionMode;
  scenarios: Scenario[];
  analyzer: 'runbook' | 'claude';
  repeat: number;
  /**
   * Scenarios run side by side (default 1: one at a time, the strictest diff). Above 1, scenarios that touch
   * cluster-scoped objects or kube-system still run alone, and each judges only its own namespace's changes.
   */
  parallel?: number;
  /** An agent already running: its webhook URL. The harness then neither starts nor configures a daemon. */
  url?: string;
  /** 'sim': start kube-sim; 'kubeconfig': the cluster of KUBECONFIG. */
  cluster: 'sim' | 'kubeconfig';
  speed: RunSpeed;
  /** 'auto': a private redis-server when one is installed (the approval path needs a shared queue); 'off': in-process. */
  redis: 'auto' | 'off' | { url: string };
  /** Where the daemon's state, audit file and log go. */
  workDir?: string;
  logFormat?: 'json' | 'pretty';
  /** Each daemon log line as it is written (the demo shows the plan previews from here). */
  onDaemonLine?: (line: string) => void;
  onEvent?: (event: SuiteEvent) => void;
  /** The demo: an `approval` scenario that asked a human passes when there is no approval channel to approve it. */
  acceptPendingApproval?: boolean;
  /** Extra daemon settings (the eval's price table does not go here; this is for the agent's own config). */
  daemonEnv?: Record<string, string>;
}

export type SuiteEvent =
  | { type: 'ready'; settings: Record<string, unknown> }
  | { type: 'start'; scenario: Scenario; round: number; index: number; total: number }
  | { type: 'end'; scenario: Scenario; round: number; index: number; total: number; result: ScenarioResult };

export interface SuiteRun {
  results: ScenarioResult[];
  settings: Record<string, unknown>;
}

const WEBHOOK_SECRET = 'chaos-webhook-secret-0123456789';
/** Never a scenario's own to judge: a write here is always every running scenario's concern. */
const SHARED_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'default']);

export async function runSuite(options: SuiteOptions): Promise<SuiteRun> {
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'oncall-chaos-'));
    mkdirSync(workDir, { recursive: true });
    let sim: RunningSim | undefined;
    if (options.cluster === 'sim') {
      sim = await startSim({ speed: options.speed.simSpeed, kubeconfigPath: join(workDir, 'kube-sim', 'kubeconfig') });
      closers.push(() => sim!.stop());
    } else if (!process.env.KUBECONFIG) {
      throw new Error('--cluster kubeconfig needs KUBECONFIG set to the cluster to break');
    }
    const kubeconfig = sim?.kubeconfigPath ?? resolve(process.env.KUBECONFIG!);
    const kubectl = kubectlFor(kubeconfig);
    const resources = await listComparableResources(kubectl);

    // With --url the running agent's PAGERDUTY_API_URL must point here: CHAOS_PAGERDUTY_PORT fixes the port.
    const pd = await startFakePagerDuty({}, FAKE_PD_TOKEN, Number(process.env.CHAOS_PAGERDUTY_PORT ?? 0));
    closers.push(() => pd.close());

    let redis: PrivateRedis | undefined;
    let redisUrl: string | undefined;
    if (!options.url) {
      if (typeof options.redis === 'object') redisUrl = options.redis.url;
      else if (options.redis === 'auto' && hasRedisServer()) {
        redis = await startPrivateRedis();
        closers.push(() => redis!.close());
        redisUrl = redis.url;
      }
    }
    if (options.analyzer === 'claude' && !options.url && !process.env.ANTHROPIC_API_KEY) {
      throw new Error('--analyzer claude needs ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a proxy)');
    }

    const realPager = realPagerFromEnv(process.env, (line) => process.stderr.write(`test-yolo: warning: ${line}\n`));
    const settings: Record<string, unknown> = {
      mode: options.mode,
      analyzer: options.analyzer,
      repeat: options.repeat,
      cluster: sim ? `kube-sim (speed ${options.speed.simSpeed}x)` : `KUBECONFIG ${kubeconfig}`,
      agent: options.url ?? 'oncall-agent serve (started by the harness)',
      queue: options.url ? 'the running agent\'s' : redisUrl ? 'BullMQ on Redis' : 'in-process',
      noCrashLoopWindowSeconds: options.speed.noCrashLoopWindowSeconds,
      verifyPollMs: options.speed.verifyPollMs,
      verifyDeadlineSeconds: options.speed.verifyDeadlineSeconds,
      parallel: options.parallel ?? 1,
      limits: options.url ? 'the running agent\'s' : 'CLUSTER_RATE_LIMIT=1000 BREAKER_FAILURE_THRESHOLD=100 (each scenario judged on its own)',
      pagerDutyApi: pd.url,
      ...(realPager ? { realPagerDuty: realPager.describe } : {}),
      workDir,
    };
    options.onEvent?.({ type: 'ready', settings });

    const results: ScenarioResult[] = [];
    const total = options.scenarios.length * options.repeat;
    let index = 0;
    for (let round = 1; round <= options.repeat; round++) {
      // A fresh agent each round: cooldowns and breakers from the previous round must not decide this one.
      const roundDir = join(workDir, `round-${round}-${options.mode}`);
      const agent = options.url
        ? await attachToRunningAgent(options.url)
        : await startRoundAgent(options, { roundDir, kubeconfig, pd, redisUrl, round });
      try {
        const ctx: SuiteContext = {
          mode: options.mode,
          agentUrl: agent.url,
          webhookSecret: agent.secret,
          pd,
          reader: agent.reader,
          kubectl,
          resources,
          scriptEnv: { KUBECONFIG: kubeconfig },
          approvals: agent.approvals,
          acceptPendingApproval: options.acceptPendingApproval,
          realPager,
          timeouts: { setupMs: 180_000, outcomeMs: (options.speed.verifyDeadlineSeconds + 120) * 1000, verifyMs: 60_000, cleanupMs: 120_000 },
        };
        const parallel = Math.max(1, options.parallel ?? 1);
        const lock = createLaneLock();
        const queue = [...options.scenarios];
        const roundResults = new Map<Scenario, ScenarioResult>();
        const lane = async () => {
          for (let scenario = queue.shift(); scenario; scenario = queue.shift()) {
            const current = scenario;
            const exclusive = parallel > 1 && needsExclusiveRun(current);
            await (exclusive ? lock.exclusive : lock.shared)(async () => {
              const at = ++index;
              options.onEvent?.({ type: 'start', scenario: current, round, index: at, total });
              // Side by side, a scenario judges its own namespace; the other scenarios' namespaces are theirs to judge.
              const foreign = parallel > 1 ? options.scenarios.filter((s) => s !== current).map((s) => s.namespace).filter((ns) => ns !== current.namespace && !SHARED_NAMESPACES.has(ns)) : [];
              const result = await runScenario({ ...ctx, foreignNamespaces: foreign }, current, round);
              roundResults.set(current, result);
              options.onEvent?.({ type: 'end', scenario: current, round, index: at, total, result });
            });
          }
        };
        await Promise.all(Array.from({ length: Math.min(parallel, options.scenarios.length) }, lane));
        for (const scenario of options.scenarios) results.push(roundResults.get(scenario)!);
      } finally {
        await agent.close();
      }
    }
    return { results, settings };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

interface AttachedAgent {
  url: string;
  secret: string;
  reader: AuditReader;
  approvals?: ApprovalChannel;
  daemon?: RunningDaemon;
  close(): Promise<void>;
}

/** The agent's env for one round: every setting the run depends on is set here, nothing inherited. */
export function daemonEnvFor(options: Pick<SuiteOptions, 'mode' | 'analyzer' | 'speed' | 'logFormat' | 'daemonEnv' | 'parallel'>, paths: { stateDir: string; kubeconfig: string; pdUrl: string; redisUrl?: string; prefix: string }): Record<string, string> {
  const env: Record<string, string> = {
    DOTENV_PATH: join(paths.stateDir, 'no.env'),
    LOG_LEVEL: 'info',
    STATE_DIR: paths.stateDir,
    AUDIT_JSONL_PATH: join(paths.stateDir, 'audit.jsonl'),
    KUBECONFIG: paths.kubeconfig,
    EXECUTION_MODE: options.mode,
    // The runbook's fixes (rollout undo, scale, set resources, uncordon) are medium risk: allowed, as in a YOLO install.
    K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
    PAGERDUTY_WEBHOOK_SECRETS: WEBHOOK_SECRET,
    PAGERDUTY_API_URL: paths.pdUrl,
    PAGERDUTY_API_TOKEN: FAKE_PD_TOKEN,
    PAGERDUTY_FROM_EMAIL: 'oncall-agent@chaos.example',
    NO_CRASHLOOP_WINDOW_SECONDS: String(options.speed.noCrashLoopWindowSeconds),
    VERIFY_POLL_MS: String(options.speed.verifyPollMs),
    VERIFY_DEADLINE_SECONDS: String(options.speed.verifyDeadlineSeconds),
    JOB_BACKOFF_MS: '500',
    // Each scenario is judged on its own: a cluster-wide write budget or a breaker opened by an earlier scenario's
    // failure must not decide a later one (both have their own tests). Printed with the run's settings.
    CLUSTER_RATE_LIMIT: '1000',
    BREAKER_FAILURE_THRESHOLD: '100',
    WORKER_CONCURRENCY: String(Math.max(2, (options.parallel ?? 1) * 2)),
    SHUTDOWN_GRACE_MS: '20000',
    ...(options.logFormat ? { LOG_FORMAT: options.logFormat } : {}),
    ...(paths.redisUrl ? { REDIS_URL: paths.redisUrl, REDIS_KEY_PREFIX: paths.prefix } : {}),
    // Paging a real service (PAGERDUTY_ROUTING_KEY): the agent's change events go to the same service's timeline.
    ...(process.env.PAGERDUTY_ROUTING_KEY ? { PAGERDUTY_ROUTING_KEY: process.env.PAGERDUTY_ROUTING_KEY } : {}),
    ...(process.env.PAGERDUTY_ROUTING_KEY && process.env.PAGERDUTY_EVENTS_URL ? { PAGERDUTY_EVENTS_URL: process.env.PAGERDUTY_EVENTS_URL } : {}),
  };
  if (options.analyzer === 'claude') {
    for (const key of ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_MODEL']) if (process.env[key]) env[key] = process.env[key]!;
  }
  return { ...env, ...options.daemonEnv };
}

async function startRoundAgent(
  options: SuiteOptions,
  where: { roundDir: string; kubeconfig: string; pd: FakePagerDutyServer; redisUrl?: string; round: number },
): Promise<AttachedAgent> {
  const stateDir = join(where.roundDir, 'state');
  mkdirSync(stateDir, { recursive: true });
  const env = daemonEnvFor(options, { stateDir, kubeconfig: where.kubeconfig, pdUrl: where.pd.url, redisUrl: where.redisUrl, prefix: `chaos-${Date.now()}-${where.round}:` });
  const daemon = await startDaemon({ env, cwd: where.roundDir, logFile: join(where.roundDir, 'agent.log'), onLine: options.onDaemonLine });
  const reader = createAuditReader({ AUDIT_JSONL_PATH: env.AUDIT_JSONL_PATH, REDIS_KEY_PREFIX: 'unused:', AUDIT_STREAM_MAXLEN: 0, AUDIT_KUBE_EVENTS: false });
  return {
    url: daemon.url,
    secret: WEBHOOK_SECRET,
    reader,
    daemon,
    approvals: where.redisUrl ? cliApprovals(env, where.roundDir) : undefined,
    async close() {
      await daemon.stop();
      await reader.close();
    },
  };
}

/** `oncall-agent approve ID --plan-hash H`: the approval path an on-call engineer uses, with the agent's settings. */
export function cliApprovals(env: Record<string, string>, cwd: string): ApprovalChannel {
  return {
    describe: 'oncall-agent approve',
    async approve(approvalId, planHash) {
      const result = await execa(process.execPath, [bin, 'approve', approvalId, '--plan-hash', planHash, '--by', 'chaos-harness'], {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env, LOG_LEVEL: 'warn' },
        extendEnv: false,
        reject: false,
        timeout: 180_000,
        all: true,
      });
      // Exit 1 means the approved run escalated: its outcome record says so. Anything else is a failed approval.
      if (result.exitCode !== 0 && result.exitCode !== 1) {
        throw new Error(`oncall-agent approve ${approvalId} exited ${result.exitCode}: ${String(result.all ?? '').trim().split('\n').slice(-3).join(' | ')}`);
      }
    },
  };
}

/** --url: an agent started elsewhere, configured with PAGERDUTY_WEBHOOK_SECRETS, PAGERDUTY_API_URL and its audit. */
async function attachToRunningAgent(url: string): Promise<AttachedAgent> {
  const secret = process.env.PAGERDUTY_WEBHOOK_SECRETS?.split(',')[0]?.trim();
  if (!secret) throw new Error('--url needs PAGERDUTY_WEBHOOK_SECRETS (the running agent\'s webhook secret) to sign deliveries');
  const reader = createAuditReader({
    REDIS_URL: process.env.REDIS_URL || undefined,
    REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX || 'oncall:',
    AUDIT_JSONL_PATH: process.env.AUDIT_JSONL_PATH || '.oncall-agent/audit.jsonl',
    AUDIT_STREAM_MAXLEN: 10_000,
    AUDIT_KUBE_EVENTS: false,
  });
  const health = await fetch(new URL('/healthz', url)).catch((e: Error) => e);
  if (health instanceof Error || !health.ok) throw new Error(`no agent answering at ${url}/healthz`);
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  return { url, secret, reader, approvals: process.env.REDIS_URL ? cliApprovals(env, process.cwd()) : undefined, close: () => reader.close() };
}
