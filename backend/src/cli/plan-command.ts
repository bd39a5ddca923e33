// `oncall-agent plan --alert FILE [--json]`: diagnose one alert, score and preview every command against the
// configured cluster (KUBECONFIG), print the preview. Executes nothing: the mode is forced to plan.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config/index.js';
import type { Incident } from '../domain/incident.js';
import type { ClusterReader } from '../domain/ports.js';
import type { RemediationProposal } from '../domain/proposal.js';
import type { Logger } from '../observability/logger.js';
import { readAlertFile } from './read-alert-file.js';

export interface PlanCommandDeps {
  config: Config;
  logger: Logger;
  /** Diagnosis (diagnoseIncident over the real adapters in production); injected so the command is testable. */
  diagnose(incident: Incident): Promise<RemediationProposal>;
  reader: ClusterReader;
}

/** Runs the plan preview for one alert file and returns what to print. */
export async function runPlanCommand(options: { alert: string; json?: boolean }, deps: PlanCommandDeps): Promise<string> {
  // Loaded when a plan runs, not when the CLI starts: the executor, the audit sinks and the stores are heavy imports.
  const [{ createAuditTrail }, { createExecuteDeps }, { runPlan }, { createSafetyStore }] = await Promise.all([
    import('../audit/create-audit.js'),
    import('../execute/create-execute-deps.js'),
    import('../execute/run-plan.js'),
    import('../safety/create-safety-store.js'),
  ]);
  const incident = await readAlertFile(options.alert);
  const proposal = await deps.diagnose(incident);
  const config: Config = { ...deps.config, EXECUTION_MODE: 'plan', MODE_OVERRIDES: [] };
  // The preview never writes to the cluster, not even Kubernetes Events from the audit trail.
  const audit = createAuditTrail({ ...config, AUDIT_KUBE_EVENTS: false }, { logger: deps.logger });
  const safety = createSafetyStore(config);
  try {
    const executeDeps = createExecuteDeps(config, { reader: deps.reader, safety, audit: audit.sink, logger: deps.logger, workerId: `cli-plan-${process.pid}` });
    const plan = await runPlan(executeDeps, incident, proposal);
    if (!options.json) return plan.text;
    return JSON.stringify(
      {
        proposal,
        commands: plan.outcomes.map((o) => ({ command: o.command, level: o.level, reasons: o.reasons, decision: o.decision, dryRun: o.dryRun ?? null })),
      },
      null,
      2,
    );
  } finally {
    await safety.close().catch(() => undefined);
    await audit.close().catch(() => undefined);
  }
}

export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description('Diagnose one alert file and preview the remediation (risk, decision, server-side dry run). Executes nothing.')
    .requiredOption('--alert <file>', 'a PagerDuty V3 webhook body or an Events v2 payload (JSON)')
    .option('--json', 'print { proposal, commands: [{ command, level, reasons, decision, dryRun }] }')
    .action(async (options: { alert: string; json?: boolean }) => {
      const config = loadConfig();
      await readAlertFile(options.alert); // a bad or non-triage file is said before the cluster is probed
      const { probeCluster } = await import('../cluster/probe-cluster.js');
      await probeCluster(config);
      // Logs go to stderr so stdout carries only the preview (or the JSON).
      const { createLogger } = await import('../observability/logger.js');
      const logger = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn', { destination: process.stderr });
      const { createDiagnoseDeps, diagnoseIncident } = await import('../diagnose/index.js');
      const diagnoseDeps = createDiagnoseDeps(config, logger);
      const output = await runPlanCommand(options, { config, logger, reader: diagnoseDeps.reader, diagnose: (incident) => diagnoseIncident(incident, diagnoseDeps) });
      process.stdout.write(`${output}\n`);
    });
}
