import type { Command } from 'commander';
import { pauseAgent } from '../safety/kill-switch.js';
import { auditEvent, resolveActor, withSafetyContext } from './safety-context.js';

export function registerPauseCommand(program: Command): void {
  program
    .command('pause')
    .description('Turn the global kill switch on: no command executes, in any mode, until `oncall-agent resume`.')
    .option('--reason <text>', 'why (recorded in the audit trail and shown by `status`)')
    .option('--by <name>', 'who is pausing (default: your OS user)')
    .addHelpText(
      'after',
      '\nWith REDIS_URL set the switch is shared by every replica. Without it, it is the file STATE_DIR/kill-switch.json,\nwhich an agent on this machine with the same STATE_DIR reads before every write.',
    )
    .action(async (options: { reason?: string; by?: string }) => {
      await withSafetyContext(async (ctx) => {
        const by = resolveActor(options.by);
        const now = ctx.now();
        await pauseAgent(ctx.killSwitch, by, options.reason, now);
        await ctx.audit.sink.write(auditEvent('killswitch', by, { paused: true, reason: options.reason ?? '' }, now));
        console.log(`Paused by ${by}${options.reason ? ` (${options.reason})` : ''}: no command will execute until \`oncall-agent resume\`.`);
        console.log(`Kill switch stored in ${ctx.killSwitchLocation}.`);
      });
    });
}
