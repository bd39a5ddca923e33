import type { Command } from 'commander';
import { InvalidInputError } from '../domain/errors.js';
import type { ExecutionReport } from '../domain/execution-report.js';
import { describeOutcome } from '../pipeline/build-outcome.js';
import type { ApprovalResult } from '../pipeline/decide-approval.js';
import { createApprovalsHttpClient } from './approvals-http-client.js';
import { requireSharedStore, resolveActor, withSafetyContext } from './safety-context.js';
import { DEFAULT_WAIT_SECONDS, refusalOf, submitDecision } from './submit-decision.js';

export function registerApproveCommand(program: Command): void {
  program
    .command('approve')
    .description(
      'Approve a pending plan; the agent\'s worker runs it exactly as approved. The plan hash must match: a plan that changed since you reviewed it is refused.',
    )
    .argument('<id>', 'approval id (from `oncall-agent approvals`)')
    .requiredOption('--plan-hash <hash>', 'the plan hash shown by `oncall-agent approvals`')
    .option('--by <name>', 'who approves (default: your OS user)')
    .option('--no-run', 'only record the approval; run it later with another `approve`')
    .option('--no-wait', 'hand the decision to the worker and return at once')
    .option('--timeout <seconds>', 'how long to wait for the worker\'s outcome', String(DEFAULT_WAIT_SECONDS))
    .option('--url <url>', "a running daemon's base URL: decide through its approvals API (token from APPROVAL_TOKEN) instead of Redis")
    .option('--comment <text>', 'a comment recorded with the decision (with --url)')
    .addHelpText(
      'after',
      `
The decision is queued for the agent's worker (serve --role worker or all), which runs the approved commands under
the agent's own settings (not this shell's), through the same risk scoring, kill switch, circuit breaker, locks,
verification, rollback and audit trail as every incident. This command waits for the outcome and prints it. Exit
status 1 when the decision or the run is refused, or the run does not end fixed. A run that wrote nothing (e.g. every
command refused) leaves the approval runnable.`,
    )
    .action(async (id: string, options: { planHash: string; by?: string; run: boolean; wait: boolean; timeout: string; url?: string; comment?: string }) => {
      if (options.url) return approveOverHttp(id, options.url, options);
      await withSafetyContext(async (ctx) => {
        requireSharedStore(ctx, 'approve');
        const by = resolveActor(options.by);
        const incidentId = (await ctx.approvals.getApproval(id, ctx.now()).catch(() => undefined))?.incidentId;
        const result = await submitDecision(
          ctx,
          { approvalId: id, incidentId, decision: 'approve', planHash: options.planHash.trim(), by, execute: options.run, channel: 'cli' },
          options,
        );
        if (result) showResult(result);
      });
    });
}

async function approveOverHttp(id: string, url: string, options: { planHash: string; by?: string; run: boolean; comment?: string }): Promise<void> {
  if (!options.run) throw new InvalidInputError('--no-run is not available with --url: the approvals API approves and runs');
  const client = createApprovalsHttpClient(url, process.env.APPROVAL_TOKEN);
  const result = await client.decide(id, 'approve', { approver: resolveActor(options.by), planHash: options.planHash.trim(), ...(options.comment ? { comment: options.comment } : {}) });
  if ('queued' in result) return void console.log(`The daemon queued the approval of ${id} (job ${result.queued}); its worker has not finished yet. Follow it with \`oncall-agent audit\`.`);
  showResult(result);
}

function showResult(result: ApprovalResult): void {
  printDecision(result);
  const refusal = refusalOf(result);
  if (refusal) throw refusal;
  if (result.report) printReport(result.report);
  if (result.outcome) console.log(`\nOutcome: ${describeOutcome(result.outcome)}`);
  if (result.outcome && result.outcome.outcome !== 'fixed') process.exitCode = 1;
}

function printDecision(result: ApprovalResult): void {
  if (!result.commands.length) return;
  console.log(
    result.alreadyApprovedBy
      ? `${result.approvalId} (incident ${result.incidentId}) was already approved by ${result.alreadyApprovedBy}: ${result.commands.length} command(s):`
      : `Approved ${result.approvalId} (incident ${result.incidentId}) by ${result.by}: ${result.commands.length} command(s), exactly as shown:`,
  );
  result.commands.forEach((c, i) => console.log(`  ${i + 1}. ${c}`));
}

function printReport(report: ExecutionReport): void {
  console.log(`\nRun (${report.mode}):`);
  for (const o of report.outcomes) console.log(`  ${o.index + 1}. ${o.status}: ${o.command}\n     ${o.detail}`);
  if (report.escalate) console.log(`\nNeeds a human: ${report.escalationReasons.join('; ')}`);
}
