import { Option, type Command } from 'commander';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the daemon: the PagerDuty webhook API, the incident workers, or both.')
    .addOption(
      new Option('--role <role>', 'api: HTTP only (webhook, health, metrics); worker: queue workers, with /healthz, /readyz and /metrics on PORT; all: both').choices(['api', 'worker', 'all']).default('all'),
    )
    .option('--sim', 'start an embedded kube-sim (simulated cluster) and point the agent at it: the demo default, never for production')
    .addHelpText(
      'after',
      `
Settings come from the environment and an optional .env file (see .env.example and the README).
Without REDIS_URL the queue is in-process (role all only; jobs are lost on restart).
Without PAGERDUTY_WEBHOOK_SECRETS every webhook delivery is answered 401.
SIGTERM/SIGINT: stop accepting HTTP, let active jobs finish within SHUTDOWN_GRACE_MS, exit 0.

Examples:
  oncall-agent serve --sim     # embedded simulated cluster, runbook analyzer, in-process queue, plan mode
  oncall-agent serve
  REDIS_URL=redis://127.0.0.1:6379 PAGERDUTY_WEBHOOK_SECRETS=... oncall-agent serve --role api`,
    )
    .action(async (options: { role: 'api' | 'worker' | 'all'; sim?: boolean }) => {
      const { runServe } = await import('../main.js');
      await runServe(options.role, { sim: options.sim });
    });
}
