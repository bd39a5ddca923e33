// What `approve` and `deny` share: the decision goes to the worker as a queued job, and the command waits for it.
import type { ApprovalDecision } from '../app/approval-channel.js';
import { PolicyRefusal, TransientError } from '../domain/errors.js';
import type { ApprovalResult } from '../pipeline/decide-approval.js';
import type { SafetyContext } from './safety-context.js';

export interface WaitOptions {
  wait: boolean;
  /** Seconds. */
  timeout: string;
}

export const DEFAULT_WAIT_SECONDS = 900;
const WAIT_PROGRESS_MS = 15_000;

/** Enqueues the decision; with wait, returns the worker's result (undefined with --no-wait). */
export async function submitDecision(ctx: Pick<SafetyContext, 'config' | 'now'>, decision: ApprovalDecision, options: WaitOptions): Promise<ApprovalResult | undefined> {
  const timeoutMs = parseTimeout(options.timeout);
  // Loaded when a decision is sent: BullMQ would slow the start of every command (and `--help`) otherwise.
  const [{ awaitApprovalResult, enqueueApprovalDecision }, { createQueue }] = await Promise.all([import('../app/approval-channel.js'), import('../app/create-queue.js')]);
  const running = createQueue(ctx.config);
  try {
    const jobId = await enqueueApprovalDecision(running.queue, decision, ctx.now);
    if (!options.wait) {
      console.log(`Queued the ${decision.decision} decision on ${decision.approvalId} by ${decision.by} (job ${jobId}); a worker runs it. Follow it with \`oncall-agent audit --incident ${decision.incidentId ?? '<id>'}\`.`);
      return undefined;
    }
    // A run can take minutes (verification windows): say the wait is alive, on stderr so stdout stays the outcome
    // (LOG_LEVEL=silent keeps it quiet).
    const started = Date.now();
    const ticker = setInterval(() => {
      if (ctx.config.LOG_LEVEL === 'silent') return;
      console.error(`oncall-agent: waiting for a worker to carry out the ${decision.decision} (job ${jobId}): ${Math.round((Date.now() - started) / 1_000)} s of at most ${timeoutMs / 1_000} s`);
    }, WAIT_PROGRESS_MS);
    ticker.unref();
    const settled = await awaitApprovalResult(running.queue, jobId, timeoutMs).finally(() => clearInterval(ticker));
    if (settled.state === 'completed') return settled.result;
    if (settled.state === 'failed') throw new TransientError(`the worker could not carry out the decision on ${decision.approvalId}: ${settled.error}`, 'see the agent log and `oncall-agent audit`');
    throw new TransientError(
      `no worker finished the decision on ${decision.approvalId} within ${timeoutMs / 1_000} s (job ${jobId} stays queued and runs when a worker takes it)`,
      'check that `oncall-agent serve` (role worker or all) runs against this REDIS_URL; follow it with `oncall-agent audit`',
    );
  } finally {
    await running.close();
  }
}

/** The refusal a result carries, as the CLI's one-line error. */
export function refusalOf(result: ApprovalResult): PolicyRefusal | undefined {
  return result.status === 'refused' ? new PolicyRefusal(result.message ?? `${result.decision} of ${result.approvalId} was refused`) : undefined;
}

function parseTimeout(raw: string): number {
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new PolicyRefusal(`--timeout must be a positive number of seconds, got "${raw}"`);
  return Math.round(seconds * 1_000);
}
