import type { Command } from 'commander';
import { expireApprovals } from '../safety/approvals.js';
import { breakerScopeFor, initialBreakerState } from '../safety/breaker-policy.js';
import { readEffectiveKillSwitch } from '../safety/kill-switch.js';
import { formatApproval, formatAuditLine, formatBreaker } from './format-safety.js';
import { withSafetyContext } from './safety-context.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('Show the kill switch, the circuit breaker per scope, pending approvals and the last 10 actions.')
    .option('--json', 'print one JSON object instead of text')
    .action(async (options: { json?: boolean }) => {
      await withSafetyContext(async (ctx) => {
        const now = ctx.now();
        if (ctx.shared) await expireApprovals({ store: ctx.store, audit: ctx.audit.sink, now: ctx.now });
        const killSwitch = await readEffectiveKillSwitch(ctx.store, ctx.config.KILL_SWITCH);
        const breakers = await ctx.store.listBreakers(ctx.policy, now);
        const clusterScope = breakerScopeFor('cluster', ctx.config.CLUSTER_NAME);
        if (!breakers.some((b) => b.scope === clusterScope)) breakers.unshift(initialBreakerState(clusterScope));
        const pending = await ctx.store.listApprovals(now, 'pending');
        const actions = await ctx.reader.read({ types: ['execution'], limit: 10 });

        if (options.json) {
          // Without Redis the breakers and approvals live inside the running agent: say unknown rather than guess.
          const shared = ctx.shared ? { breakers, pendingApprovals: pending } : { breakers: null, pendingApprovals: null };
          console.log(JSON.stringify({ killSwitch, sharedStore: ctx.shared, breakerScope: ctx.config.BREAKER_SCOPE, ...shared, recentActions: actions }, null, 2));
          return;
        }
        console.log(
          killSwitch.paused
            ? `Kill switch: PAUSED (${killSwitch.source}${killSwitch.by ? `, by ${killSwitch.by}` : ''}${killSwitch.reason ? `: ${killSwitch.reason}` : ''})`
            : 'Kill switch: off',
        );
        console.log(`Execution mode: ${ctx.config.EXECUTION_MODE}; breaker scope: ${ctx.config.BREAKER_SCOPE}`);
        if (ctx.shared) {
          console.log('\nCircuit breakers:');
          for (const b of breakers) console.log(`  ${formatBreaker(b, ctx.policy.openMs, now)}`);
          console.log(`\nPending approvals: ${pending.length}`);
          for (const a of pending) console.log(formatApproval(a, now).replace(/^/gm, '  '));
        } else {
          console.log('\nCircuit breakers and pending approvals: kept inside the running agent (no REDIS_URL); set REDIS_URL to see them here.');
        }
        console.log(`\nLast ${actions.length} action${actions.length === 1 ? '' : 's'}:`);
        for (const e of actions) console.log(`  ${formatAuditLine(e)}`);
      });
    });
}
