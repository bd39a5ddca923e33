// `oncall-agent plan --alert FILE [--json]`: diagnose one alert, score and preview every command against the
// configured cluster (KUBECONFIG), print the preview. The triage pipeline with the mode forced to plan: it executes
// nothing, and ends with an `incident.outcome` (previewed) in the audit trail like every other run.
import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import type { TriageResult } from '../pipeline/triage-incident.js';
import { readAlertFile } from './read-alert-file.js';

/** What `plan` prints for one run. */
export function formatPlan(result: TriageResult, json: boolean | undefined): string {
  const { proposal, report } = result;
  if (!json) return report.previewText ?? `No command to preview: ${report.escalationReasons.join('; ') || proposal.rootCause}`;
  return JSON.stringify(
    {
      proposal,
      commands: report.outcomes.map((o) => ({ command: o.command, level: o.level, reasons: o.reasons, decision: o.decision, dryRun: o.dryRun ?? null })),
      outcome: result.outcome,
    },
    null,
    2,
  );
}

export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description('Diagnose one alert file and preview the remediation (risk, decision, server-side dry run). Executes nothing.')
    .requiredOption('--alert <file>', 'a PagerDuty V3 webhook body or an Events v2 payload (JSON)')
    .option('--json', 'print { proposal, commands: [{ command, level, reasons, decision, dryRun }], outcome }')
    .action(async (options: { alert: string; json?: boolean }) => {
      const loaded = loadConfig();
      // The preview never writes to the cluster, not even Kubernetes Events from the audit trail.
      const config = { ...loaded, AUDIT_KUBE_EVENTS: false };
      // A bad or non-triage file is said first; then no cluster, or one that does not answer, is said with its cause
      // instead of a preview that escalates because "the cluster could not be read".
      const incident = await readAlertFile(options.alert);
      const { probeCluster } = await import('../cluster/probe-cluster.js');
      await probeCluster(config);
      // Loaded when a plan runs, not when the CLI starts (`--help`, `risk`, `status` stay fast).
      const [{ createAgent }, { createLogger }] = await Promise.all([import('../app/create-agent.js'), import('../observability/logger.js')]);
      // Logs go to stderr so stdout carries only the preview (or the JSON).
      const logger = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn', { destination: process.stderr });
      const agent = createAgent(config, { logger, workerId: `cli-plan-${process.pid}` });
      try {
        const result = await agent.triage(incident, { mode: 'plan' });
        process.stdout.write(`${formatPlan(result, options.json)}\n`);
      } finally {
        await agent.close();
      }
    });
}
