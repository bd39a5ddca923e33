import { Command, CommanderError } from 'commander';
import { AgentError, ConfigError } from '../domain/errors.js';
import { stopWhenOrphaned } from '../lifecycle/stop-when-orphaned.js';
import { registerCommands } from './commands.js';
import { describeOperatingError } from './describe-operating-error.js';

// A reader that stops early (`oncall-agent audit | head`) closes the pipe: that is the end of the output, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
// Launched through npm (npx, npm start), a wrapper shell sits between the user's process and us (see the module).
if (process.env.npm_config_user_agent) stopWhenOrphaned();

const program = new Command('oncall-agent')
  .description('Takes PagerDuty pages about a Kubernetes cluster, fixes what can be fixed safely, and hands the rest to a human with the evidence.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

try {
  await registerCommands(program, process.argv.slice(2));
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof AgentError) {
    // A configuration error is one line naming the variable (issue 2), its hint included.
    const hint = !error.hint ? '' : error instanceof ConfigError ? ` (hint: ${error.hint})` : `\nhint: ${error.hint}`;
    console.error(`oncall-agent: ${error.message}${hint}`);
    process.exit(1);
  }
  console.error(`oncall-agent: ${describeOperatingError(error, process.env.LOG_LEVEL)}`);
  process.exit(1);
}
