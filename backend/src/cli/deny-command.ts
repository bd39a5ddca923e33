import type { Command } from 'commander';
import { denyPlan } from '../safety/approvals.js';
import { requireSharedStore, resolveActor, withSafetyContext } from './safety-context.js';

export function registerDenyCommand(program: Command): void {
  program
    .command('deny')
    .description('Deny a pending plan: none of its commands will run.')
    .argument('<id>', 'approval id (from `oncall-agent approvals`)')
    .option('--reason <text>', 'why (recorded in the audit trail)')
    .option('--by <name>', 'who denies (default: your OS user)')
    .action(async (id: string, options: { reason?: string; by?: string }) => {
      await withSafetyContext(async (ctx) => {
        requireSharedStore(ctx, 'deny');
        const by = resolveActor(options.by);
        const approval = await denyPlan({ store: ctx.store, audit: ctx.audit.sink, now: ctx.now }, id, by, options.reason);
        console.log(`Denied ${approval.id} (incident ${approval.incidentId}) by ${by}${options.reason ? `: ${options.reason}` : ''}.`);
      });
    });
}
