// One scenario, end to end: setup → snapshot → page the agent (every alert at once) → wait for each incident's
// outcome → approve through the approval path when a human would → verify.sh → snapshot → score → cleanup.
import { join } from 'node:path';
import type { AuditReader } from '../../backend/src/audit/audit-reader.js';
import type { ExecutionMode } from '../../backend/src/domain/decision.js';
import type { IncidentOutcome } from '../../backend/src/domain/outcome.js';
import { awaitOutcome } from './await-outcome.js';
import { diffSnapshots, takeSnapshot, type Snapshot } from './cluster-snapshot.js';
import type { FakePagerDutyServer } from './fake-pagerduty-server.js';
import { runScript, type Kubectl } from './kubectl.js';
import type { Scenario } from './load-scenarios.js';
import type { RealPager } from './real-pager.js';
import { scoreBestRootCause } from './root-cause-accuracy.js';
import { deliverWebhook, newIncidentId, publishIncident, triggeredEvent } from './page-agent.js';
import {
  commandsOf,
  decisionLatencyOf,
  describeOutcome,
  findUnsafe,
  judge,
  rootCauseOf,
  timeToFixOf,
  tokensOf,
  type IncidentRun,
  type ScenarioResult,
} from './score-run.js';

export interface ApprovalChannel {
  /** Approves one pending plan exactly as shown; resolves when the decision is handed to the agent. */
  approve(approvalId: string, planHash: string): Promise<void>;
  describe: string;
}

export interface SuiteContext {
  mode: ExecutionMode;
  agentUrl: string;
  webhookSecret: string;
  pd: FakePagerDutyServer;
  reader: AuditReader;
  kubectl: Kubectl;
  resources: string[];
  /** Environment for setup.sh, verify.sh and cleanup.sh (KUBECONFIG). */
  scriptEnv: Record<string, string>;
  /** Undefined when there is no way to approve (the in-process queue): approval scenarios then stay pending. */
  approvals?: ApprovalChannel;
  timeouts: { setupMs: number; outcomeMs: number; verifyMs: number; cleanupMs: number };
  /** Namespaces of scenarios running side by side: their changes are theirs to judge, not this scenario's. */
  foreignNamespaces?: string[];
  /** Without an approval channel, count an `approval` scenario that asked a human as passed (the demo only). */
  acceptPendingApproval?: boolean;
  /** PAGERDUTY_ROUTING_KEY set: each incident also pages a real PagerDuty service (see real-pager.ts). */
  realPager?: RealPager;
}

export async function runScenario(ctx: SuiteContext, scenario: Scenario, round: number): Promise<ScenarioResult> {
  const started = Date.now();
  const base = { name: scenario.name, round, expect: scenario.expect, mode: ctx.mode, commands: [], unsafe: [], outcomes: [], verified: null } as const;
  // A leftover of an earlier, interrupted run would make setup fail or blur the diff.
  if (scenario.hasCleanup) await runScript(join(scenario.dir, 'cleanup.sh'), ctx.scriptEnv, ctx.timeouts.cleanupMs);
  const setup = await runScript(join(scenario.dir, 'setup.sh'), ctx.scriptEnv, ctx.timeouts.setupMs);
  if (!setup.ok) {
    await cleanup(ctx, scenario);
    return { ...base, commands: [], unsafe: [], outcomes: [], outcome: 'not run', passed: false, error: `setup.sh failed (exit ${setup.exitCode}): ${setup.tail}`, setupMs: setup.ms, totalMs: Date.now() - started };
  }

  let before: Snapshot;
  try {
    before = await takeSnapshot(ctx.kubectl, ctx.resources);
  } catch (error) {
    await cleanup(ctx, scenario);
    return { ...base, commands: [], unsafe: [], outcomes: [], outcome: 'not run', passed: false, error: `could not read the cluster: ${(error as Error).message}`, setupMs: setup.ms };
  }

  const runs: IncidentRun[] = scenario.alerts.map(() => ({ incidentId: newIncidentId() }));
  const sentAt = Date.now();
  let error: string | undefined;
  try {
    // Every alert pages at once: scenario 09's "two incidents for the same deployment at the same time".
    await Promise.all(
      scenario.alerts.map(async (alert, i) => {
        publishIncident(ctx.pd, runs[i].incidentId, alert.payload);
        await ctx.realPager?.page(runs[i].incidentId, alert.payload);
        const delivery = await deliverWebhook(ctx.agentUrl, ctx.webhookSecret, triggeredEvent(runs[i].incidentId, alert.payload));
        if (delivery.status !== 202 || delivery.answer !== 'accepted') throw new Error(`the webhook for ${alert.file} was answered ${delivery.status} ${delivery.answer}`);
      }),
    );
    await Promise.all(runs.map(async (run) => (run.triage = await awaitOutcome(ctx.reader, { incidentId: run.incidentId, run: 'triage', sinceMs: sentAt, timeoutMs: ctx.timeouts.outcomeMs }))));
    await approveWhereAHumanWould(ctx, scenario, runs, sentAt);
  } catch (e) {
    error = (e as Error).message;
  }

  let verified: boolean | null = null;
  let verifyDetail: string | undefined;
  const actedOn = runs.some((r) => r.triage?.outcome === 'fixed' || r.approval);
  if (!error && ctx.mode !== 'plan' && scenario.expect !== 'escalate' && scenario.expect !== 'rollback' && scenario.hasVerify && actedOn) {
    const verify = await runScript(join(scenario.dir, 'verify.sh'), { ...ctx.scriptEnv, CHAOS_VERIFY_TIMEOUT: String(Math.round(ctx.timeouts.verifyMs / 1000)) }, ctx.timeouts.verifyMs + 15_000);
    verified = verify.ok;
    verifyDetail = verify.tail;
  } else if (!error && ctx.mode !== 'plan' && scenario.expect !== 'escalate' && scenario.expect !== 'rollback') {
    verified = false;
    verifyDetail = 'not run: the agent did not act';
  }

  let unsafe: string[] = [];
  const outcomes = runs.flatMap((r) => [r.triage, r.approval]).filter((o): o is IncidentOutcome => Boolean(o));
  try {
    const after = await takeSnapshot(ctx.kubectl, ctx.resources);
    const foreign = new Set(ctx.foreignNamespaces ?? []);
    const changes = diffSnapshots(before, after).filter((c) => !foreign.has(c.namespace ?? (c.resource === 'namespaces' ? c.name : '')));
    unsafe = findUnsafe(scenario, ctx.mode, changes, outcomes);
  } catch (e) {
    error ??= `could not read the cluster after the run: ${(e as Error).message}`;
  }
  await cleanup(ctx, scenario);
  for (const run of runs) await ctx.realPager?.resolve(run.incidentId);

  const pendingApproval = !ctx.approvals && scenario.expect === 'approval' && runs.some((r) => r.triage?.outcome === 'awaiting_approval');
  if (pendingApproval && verifyDetail === 'not run: the agent did not act') {
    verified = null;
    verifyDetail = undefined;
  }
  const named = scenario.rootCauseMustMention.length ? scoreBestRootCause(scenario.name, scenario.rootCauseMustMention, runs.map((r) => r.triage?.rootCause)) : undefined;
  const verdict = error
    ? { passed: false, failure: error }
    : judge({ scenario, mode: ctx.mode, runs, verified, unsafe, acceptPendingApproval: ctx.acceptPendingApproval && !ctx.approvals, rootCauseMissing: named?.missing });
  return {
    ...base,
    outcome: describeOutcome(runs),
    rootCause: named?.rootCause ?? rootCauseOf(runs),
    rootCauseMissing: named?.missing,
    commands: commandsOf(runs),
    verified,
    verifyDetail,
    unsafe,
    decisionLatencyMs: decisionLatencyOf(runs),
    timeToFixMs: timeToFixOf(runs),
    tokens: tokensOf(runs),
    passed: verdict.passed && !error,
    failure: verdict.failure,
    error,
    outcomes,
    pendingApproval,
    setupMs: setup.ms,
    totalMs: Date.now() - started,
  };
}

/**
 * A human approves plans of `fix` and `approval` scenarios (never of `escalate` ones, never in plan mode), through
 * the product's approval path; the approved run ends with its own `incident.outcome` (run: approval).
 */
async function approveWhereAHumanWould(ctx: SuiteContext, scenario: Scenario, runs: IncidentRun[], sinceMs: number): Promise<void> {
  // A `rollback` scenario has no fix to approve: the one bounded attempt the agent may make is its own.
  if (ctx.mode === 'plan' || scenario.expect === 'escalate' || scenario.expect === 'rollback') return;
  // YOLO should fix `fix` scenarios alone: a plan it leaves waiting there is a failure, not something to approve.
  if (ctx.mode === 'yolo' && scenario.expect === 'fix') return;
  const pending = runs.filter((r) => r.triage?.outcome === 'awaiting_approval' && r.triage.approval);
  if (pending.length === 0 || !ctx.approvals) return;
  for (const run of pending) {
    const { id, planHash } = run.triage!.approval!;
    await ctx.approvals.approve(id, planHash);
    run.approved = true;
    run.approval = await awaitOutcome(ctx.reader, { incidentId: run.incidentId, run: 'approval', sinceMs, timeoutMs: ctx.timeouts.outcomeMs });
    if (!run.approval) throw new Error(`approval ${id} of ${run.incidentId} was given but no approval-run incident.outcome came in time`);
  }
}

async function cleanup(ctx: SuiteContext, scenario: Scenario): Promise<void> {
  if (scenario.hasCleanup) await runScript(join(scenario.dir, 'cleanup.sh'), ctx.scriptEnv, ctx.timeouts.cleanupMs);
}
