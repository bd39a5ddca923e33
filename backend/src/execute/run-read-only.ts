import type { ProposedAction } from '../domain/proposal.js';
import type { RiskAssessment } from '../domain/risk.js';
import type { Decision } from '../domain/decision.js';
import type { KubectlResult } from '../domain/ports.js';
import { auditStep, clipOutput, clipStdoutOf } from './audit-step.js';
import type { ActionOutcome, ExecuteCore } from './execute-deps.js';

/** A read-only command (get, describe, logs…): no lock, limits, snapshot or breaker; output audited, redacted. */
export async function runReadOnly(deps: ExecuteCore, incidentId: string, index: number, action: ProposedAction, assessment: RiskAssessment, decision: Decision): Promise<ActionOutcome> {
  const result = await deps.runner.run(deps.risk.argv(assessment), { signal: deps.signal }).catch(
    (error: Error): KubectlResult => ({ exitCode: -1, stdout: '', stderr: `not executed: ${error.message}`, durationMs: 0, timedOut: false, truncated: false }),
  );
  const execution = { exitCode: result.exitCode, durationMs: result.durationMs, timedOut: result.timedOut, truncated: result.truncated, stdout: clipStdoutOf(assessment, result.stdout), stderr: clipOutput(result.stderr) };
  await auditStep(deps, 'execution', incidentId, { index, command: action.command, readOnly: true, ...execution });
  const ok = result.exitCode === 0;
  return {
    index,
    command: action.command,
    level: assessment.level,
    reasons: assessment.reasons,
    decision,
    status: ok ? 'unverifiable' : 'failed',
    execution,
    detail: ok ? 'read-only command ran' : `kubectl exited ${result.exitCode}: ${execution.stderr.trim().slice(0, 300)}`,
  };
}
