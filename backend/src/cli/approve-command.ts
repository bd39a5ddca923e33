import type { Command } from 'commander';
import { approvePlan } from '../safety/approvals.js';
import { requireSharedStore, resolveActor, withSafetyContext } from './safety-context.js';

export function registerApproveCommand(program: Command): void {
  program
    .command('approve')
    .description('Approve a pending plan. The plan hash must match: a plan that changed since you reviewed it is refused.')
    .argument('<id>', 'approval id (from `oncall-agent approvals`)')
    .requiredOption('--plan-hash <hash>', 'the plan hash shown by `oncall-agent approvals`')
    .option('--by <name>', 'who approves (default: your OS user)')
    .action(async (id: string, options: { planHash: string; by?: string }) => {
      await withSafetyContext(async (ctx) => {
        requireSharedStore(ctx, 'approve');
        const by = resolveActor(options.by);
        const approval = await approvePlan({ store: ctx.store, audit: ctx.audit.sink, now: ctx.now }, id, by, options.planHash.trim());
        console.log(`Approved ${approval.id} (incident ${approval.incidentId}) by ${by}; these ${approval.commands.length} command(s) may now run exactly as shown:`);
        approval.commands.forEach((c, i) => console.log(`  ${i + 1}. ${c}`));
      });
    });
}
