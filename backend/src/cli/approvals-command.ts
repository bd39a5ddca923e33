import type { Command } from 'commander';
import { expireApprovals } from '../safety/approvals.js';
import { formatApproval } from './format-safety.js';
import { requireSharedStore, withSafetyContext } from './safety-context.js';

export function registerApprovalsCommand(program: Command): void {
  program
    .command('approvals')
    .description('List plans waiting for a human decision, with the plan hash to pass to `oncall-agent approve`.')
    .option('--all', 'include approved, denied and expired ones (kept 7 days)')
    .option('--json', 'print a JSON array')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      await withSafetyContext(async (ctx) => {
        requireSharedStore(ctx, 'approvals');
        await expireApprovals({ store: ctx.approvals, audit: ctx.audit.sink, now: ctx.now });
        const now = ctx.now();
        const approvals = await ctx.approvals.listApprovals(now, options.all ? undefined : 'pending');
        if (options.json) {
          console.log(JSON.stringify(approvals, null, 2));
          return;
        }
        if (approvals.length === 0) console.log(options.all ? 'No approvals.' : 'No pending approvals.');
        for (const a of approvals) console.log(`${formatApproval(a, now)}\n`);
      });
    });
}
