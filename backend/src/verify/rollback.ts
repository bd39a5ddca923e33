// Restores the snapshot after a failed verification: plan the commands (pure), score each, run them through the
// runner, then wait until the object matches the snapshot again. The caller escalates whatever the outcome.
import type { Verdict } from '../domain/decision.js';
import type { KubeObject } from '../domain/kube.js';
import type { Clock, KubectlRunner } from '../domain/ports.js';
import type { RiskAssessment } from '../domain/risk.js';
import { formatCommandLine } from './format-command-line.js';
import { differencesFromSnapshot, planRollback, type RollbackTarget } from './plan-rollback.js';

export type { RollbackResult, RollbackStep } from '../domain/execution-report.js';
import type { RollbackResult, RollbackStep } from '../domain/execution-report.js';

export interface RollbackDeps {
  runner: KubectlRunner;
  clock: Clock;
  /** Scores a rollback command line the same way as any other command; forbidden ones never run. */
  assess(commandLine: string): RiskAssessment;
  /** The argv the assessment scored. */
  argv(assessment: RiskAssessment): string[];
  /** Called after every step (the audit trail). */
  onStep?(step: RollbackStep): Promise<void>;
  signal?: AbortSignal;
}

export interface RollbackOptions {
  deadlineMs: number;
  pollMs: number;
}

/** Plan → run → read again: a second pass catches what the first pass's commands rewrote (an undo resets annotations). */
const MAX_PASSES = 2;

export async function rollbackToSnapshot(target: RollbackTarget, before: KubeObject | undefined, deps: RollbackDeps, options: RollbackOptions): Promise<RollbackResult> {
  const started = deps.clock.now();
  const steps: RollbackStep[] = [];
  const details: string[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const current = await readObject(deps.runner, target, deps.signal);
    if (current.error) return { attempted: steps.length > 0, restored: false, detail: [...details, current.error].join('; '), steps };
    const plan = planRollback(target, before, current.object);
    if (plan.commands.length === 0) {
      if (pass > 0) break;
      const restored = before === undefined ? Boolean(target.absentBefore) && current.object === undefined : current.object !== undefined && differencesFromSnapshot(target.resource, before, current.object).length === 0;
      return { attempted: false, restored, detail: plan.detail, steps };
    }
    details.push(plan.detail);
    for (const [i, argv] of plan.commands.entries()) {
      let stopped = await runStep(argv, deps, steps);
      const fallback = plan.fallbacks?.[i];
      if (stopped && fallback) stopped = await runStep(fallback, deps, steps);
      if (stopped) return { attempted: true, restored: false, detail: `${details.join('; ')}; ${stopped}`, steps };
    }
  }
  const verdict = await waitForRestore(target, before, deps, options, started);
  return { attempted: true, restored: verdict.status === 'verified', detail: `${details.join('; ')}; ${verdict.detail}`, steps, verdict };
}

/** Scores, runs and audits one rollback command; returns why the rollback must stop, if it must. */
async function runStep(argv: string[], deps: RollbackDeps, steps: RollbackStep[]): Promise<string | undefined> {
  let line: string;
  try {
    line = formatCommandLine(['kubectl', ...argv]);
  } catch (error) {
    const step: RollbackStep = { command: `kubectl ${argv.slice(0, 3).join(' ')} …`, level: 'forbidden', reasons: [], refused: (error as Error).message };
    steps.push(step);
    await deps.onStep?.(step);
    return `stopped: ${step.refused}`;
  }
  const assessment = deps.assess(line);
  const step: RollbackStep = { command: line, level: assessment.level, reasons: assessment.reasons };
  const scored = assessment.level === 'forbidden' ? undefined : deps.argv(assessment);
  if (!scored || scored.join('\u0000') !== argv.join('\u0000')) {
    step.refused = scored ? 'the scored command differs from the planned one' : 'the rollback command scored forbidden';
    steps.push(step);
    await deps.onStep?.(step);
    return `stopped: ${step.refused}`;
  }
  // A restoring write runs to completion even during shutdown (bounded by KUBECTL_TIMEOUT_MS): half a rollback is
  // worse than either state.
  const result = await deps.runner.run(argv);
  Object.assign(step, { exitCode: result.exitCode, durationMs: result.durationMs, stderr: result.stderr.slice(0, 2_000) });
  steps.push(step);
  await deps.onStep?.(step);
  return result.exitCode === 0 ? undefined : `"${line}" failed: ${result.stderr.trim().slice(0, 300)}`;
}

async function waitForRestore(target: RollbackTarget, before: KubeObject | undefined, deps: RollbackDeps, options: RollbackOptions, started: number): Promise<Verdict> {
  const deadline = deps.clock.now() + options.deadlineMs;
  let diffs: string[] = [];
  for (;;) {
    deps.signal?.throwIfAborted();
    const current = await readObject(deps.runner, target, deps.signal);
    // Deleted objects linger while finalizers run: gone, or going, is restored.
    const absentNow = !current.object || Boolean(current.object.metadata.deletionTimestamp);
    diffs = current.error ? [current.error] : before ? differencesFromSnapshot(target.resource, before, current.object) : absentNow ? [] : ['the object the action created still exists'];
    if (diffs.length === 0) return { status: 'verified', detail: 'restore verified: the object matches the snapshot', elapsedMs: deps.clock.now() - started };
    if (deps.clock.now() + options.pollMs > deadline) break;
    await deps.clock.sleep(options.pollMs, deps.signal);
  }
  return { status: 'failed', detail: `restore not verified before the deadline: still differs in ${diffs.join(', ')}`, observed: { differences: diffs }, elapsedMs: deps.clock.now() - started };
}

async function readObject(runner: KubectlRunner, target: RollbackTarget, signal?: AbortSignal): Promise<{ object?: KubeObject; error?: string }> {
  const argv = ['get', target.resource, target.name, ...(target.namespace ? ['-n', target.namespace] : []), '-o', 'json'];
  const result = await runner.run(argv, { signal });
  if (result.exitCode !== 0) return /NotFound|not found/i.test(result.stderr) ? {} : { error: `cannot read the object: ${result.stderr.trim().slice(0, 200)}` };
  try {
    return { object: JSON.parse(result.stdout) as KubeObject };
  } catch {
    return { error: 'kubectl printed invalid JSON' };
  }
}
