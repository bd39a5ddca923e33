import { Option, type Command } from 'commander';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the daemon: the PagerDuty webhook API, the incident workers, or both.')
    .addOption(
      new Option('--role <role>', 'api: HTTP only (webhook, health, metrics); worker: queue workers, with /healthz, /readyz and /metrics on PORT; all: both').choices(['api', 'worker', 'all']).default('all'),
    )
    .option('--sim', 'start an embedded kube-sim (simulated cluster, in memory) and point the agent at it: the demo default, never for production')
    .option('--no-seed', 'with --sim: start the simulated cluster without the healthy demo workloads (namespace demo)')
    .addHelpText(
      'after',
      `
Settings come from the environment and an optional .env file (see .env.example and the README).
Without REDIS_URL the queue is in-process (role all only; jobs are lost on restart).
Without PAGERDUTY_WEBHOOK_SECRETS every webhook delivery is answered 401, except with --sim, which generates a
secret for the run, prints it and saves it to STATE_DIR/sim-webhook-secret (\`oncall-agent page\` uses it).
--sim seeds healthy demo workloads (namespace demo: web, api, worker) unless --no-seed; its kubeconfig is
STATE_DIR/kube-sim/kubeconfig. The simulated cluster lives in memory and ends with the daemon; to keep one across
daemon restarts run \`oncall-agent sim\` on its own and start the daemon with KUBECONFIG pointing at its kubeconfig.
SIGTERM/SIGINT: stop accepting HTTP, let active jobs finish within SHUTDOWN_GRACE_MS, exit 0.

Examples:
  oncall-agent serve --sim     # embedded simulated cluster, runbook analyzer, in-process queue, plan mode
  EXECUTION_MODE=yolo ALLOW_MEDIUM_AND_HIGH_RISK_WRITES=true oncall-agent serve --sim   # let it fix what it finds
  oncall-agent serve
  REDIS_URL=redis://127.0.0.1:6379 PAGERDUTY_WEBHOOK_SECRETS=... oncall-agent serve --role api`,
    )
    .action(async (options: { role: 'api' | 'worker' | 'all'; sim?: boolean; seed: boolean }) => {
      const { runServe } = await import('../main.js');
      await runServe(options.role, { sim: options.sim, seed: options.seed });
    });
}
