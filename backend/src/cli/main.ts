import { Command, CommanderError } from 'commander';
import { AgentError, ConfigError } from '../domain/errors.js';
import { commandRegistrations } from './commands.js';

const program = new Command('oncall-agent')
  .description('Takes PagerDuty pages about a Kubernetes cluster, fixes what can be fixed safely, and hands the rest to a human with the evidence.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

for (const register of commandRegistrations) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof AgentError) {
    // A configuration error is one line naming the variable (issue 2), its hint included.
    const hint = !error.hint ? '' : error instanceof ConfigError ? ` (hint: ${error.hint})` : `\nhint: ${error.hint}`;
    console.error(`oncall-agent: ${error.message}${hint}`);
    process.exit(1);
  }
  console.error(`oncall-agent: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(1);
}
