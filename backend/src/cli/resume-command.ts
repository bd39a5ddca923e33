import type { Command } from 'commander';
import { resumeAgent } from '../safety/kill-switch.js';
import { auditEvent, resolveActor, withSafetyContext } from './safety-context.js';

export function registerResumeCommand(program: Command): void {
  program
    .command('resume')
    .description('Turn the stored kill switch off (KILL_SWITCH=true in the environment still pauses).')
    .option('--by <name>', 'who is resuming (default: your OS user)')
    .action(async (options: { by?: string }) => {
      await withSafetyContext(async (ctx) => {
        const by = resolveActor(options.by);
        const now = ctx.now();
        await resumeAgent(ctx.killSwitch, by, now);
        await ctx.audit.sink.write(auditEvent('killswitch', by, { paused: false }, now));
        if (ctx.config.KILL_SWITCH) {
          console.log(`Stored kill switch cleared by ${by}, but KILL_SWITCH=true in the environment still pauses the agent.`);
        } else {
          console.log(`Resumed by ${by}: the agent may execute commands again (subject to mode, risk and the circuit breaker).`);
        }
      });
    });
}
