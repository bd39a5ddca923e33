import { Option, type Command } from 'commander';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the daemon: the PagerDuty webhook API, the incident workers, or both.')
    .addOption(new Option('--role <role>', 'which part to run').choices(['api', 'worker', 'all']).default('all'))
    .action(async (options: { role: 'api' | 'worker' | 'all' }) => {
      const { runServe } = await import('../main.js');
      await runServe(options.role);
    });
}
