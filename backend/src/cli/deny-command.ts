import type { Command } from 'commander';
import { createApprovalsHttpClient } from './approvals-http-client.js';
import { requireSharedStore, resolveActor, withSafetyContext } from './safety-context.js';
import { DEFAULT_WAIT_SECONDS, refusalOf, submitDecision } from './submit-decision.js';

export function registerDenyCommand(program: Command): void {
  program
    .command('deny')
    .description('Deny a pending plan: none of its commands will run. The decision goes to the agent\'s worker like every approval decision.')
    .argument('<id>', 'approval id (from `oncall-agent approvals`)')
    .option('--reason <text>', 'why (recorded in the audit trail)')
    .option('--by <name>', 'who denies (default: your OS user)')
    .option('--no-wait', 'hand the decision to the worker and return at once')
    .option('--timeout <seconds>', 'how long to wait for the worker', String(DEFAULT_WAIT_SECONDS))
    .option('--url <url>', "a running daemon's base URL: decide through its approvals API (token from APPROVAL_TOKEN) instead of Redis")
    .action(async (id: string, options: { reason?: string; by?: string; wait: boolean; timeout: string; url?: string }) => {
      if (options.url) {
        const result = await createApprovalsHttpClient(options.url, process.env.APPROVAL_TOKEN).decide(id, 'deny', { approver: resolveActor(options.by), ...(options.reason ? { comment: options.reason } : {}) });
        if ('queued' in result) return void console.log(`The daemon queued the denial of ${id} (job ${result.queued}).`);
        const refusal = refusalOf(result);
        if (refusal) throw refusal;
        return void console.log(`Denied ${result.approvalId} (incident ${result.incidentId}) by ${result.by}${options.reason ? `: ${options.reason}` : ''}.`);
      }
      await withSafetyContext(async (ctx) => {
        requireSharedStore(ctx, 'deny');
        const by = resolveActor(options.by);
        const current = await ctx.approvals.getApproval(id, ctx.now()).catch(() => undefined);
        const result = await submitDecision(
          ctx,
          { approvalId: id, incidentId: current?.incidentId, decision: 'deny', planHash: current?.planHash ?? '', by, reason: options.reason, channel: 'cli' },
          options,
        );
        if (!result) return;
        const refusal = refusalOf(result);
        if (refusal) throw refusal;
        console.log(`Denied ${result.approvalId} (incident ${result.incidentId}) by ${by}${options.reason ? `: ${options.reason}` : ''}.`);
      });
    });
}
