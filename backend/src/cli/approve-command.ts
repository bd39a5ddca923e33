import type { Command } from 'commander';
import type { ExecutionReport } from '../execute/execute-deps.js';
import { approvePlan } from '../safety/approvals.js';
import type { PendingApproval } from '../safety/safety-store.js';
import { requireSharedStore, resolveActor, withSafetyContext, type SafetyContext } from './safety-context.js';

export function registerApproveCommand(program: Command): void {
  program
    .command('approve')
    .description(
      'Approve a pending plan and run it, exactly as approved. The plan hash must match: a plan that changed since you reviewed it is refused.',
    )
    .argument('<id>', 'approval id (from `oncall-agent approvals`)')
    .requiredOption('--plan-hash <hash>', 'the plan hash shown by `oncall-agent approvals`')
    .option('--by <name>', 'who approves (default: your OS user)')
    .option('--no-run', 'only record the approval; run it later (e.g. from the approvals API)')
    .addHelpText(
      'after',
      `
The approved commands run from this process against KUBECONFIG, through the same risk scoring, kill switch, circuit
breaker, locks, verification, rollback and audit trail as the daemon. Exit status 1 when the run escalates.`,
    )
    .action(async (id: string, options: { planHash: string; by?: string; run: boolean }) => {
      await withSafetyContext(async (ctx) => {
        requireSharedStore(ctx, 'approve');
        const by = resolveActor(options.by);
        const planHash = options.planHash.trim();
        const already = await findApprovedPlan(ctx, id, planHash);
        const approval = already ?? (await approvePlan({ store: ctx.store, audit: ctx.audit.sink, now: ctx.now }, id, by, planHash));
        console.log(
          already
            ? `${approval.id} (incident ${approval.incidentId}) was already approved by ${approval.decidedBy ?? 'someone'}: ${approval.commands.length} command(s):`
            : `Approved ${approval.id} (incident ${approval.incidentId}) by ${by}: ${approval.commands.length} command(s), exactly as shown:`,
        );
        approval.commands.forEach((c, i) => console.log(`  ${i + 1}. ${c}`));
        if (!options.run) return;
        const report = await runApproved(ctx, approval.id, by);
        printReport(report);
        if (report.escalate) process.exitCode = 1;
      });
    });
}

/**
 * An approval already granted for this very hash (e.g. held back by the kill switch or an open breaker) is run, not
 * approved again; executeApprovedPlan still refuses a second run, so this never executes a plan twice.
 */
async function findApprovedPlan(ctx: SafetyContext, id: string, planHash: string): Promise<PendingApproval | undefined> {
  const current = await ctx.store.getApproval(id, ctx.now());
  return current?.status === 'approved' && current.planHash === planHash ? current : undefined;
}

async function runApproved(ctx: SafetyContext, id: string, by: string): Promise<ExecutionReport> {
  // Loaded only to run a plan: client-node and the executor would slow every other command's start (and --help).
  const [{ createEventWriterFromKubeConfig }, { createClientNodeReader }, { createKubeConfig }, { createAuditTrail }, { executeApprovedPlan }, { createExecuteDeps }, { createLogger }] = await Promise.all([
    import('../cluster/client-node-event-writer.js'),
    import('../cluster/client-node-reader.js'),
    import('../cluster/create-kube-config.js'),
    import('../audit/create-audit.js'),
    import('../execute/approvals.js'),
    import('../execute/create-execute-deps.js'),
    import('../observability/logger.js'),
  ]);
  const config = ctx.config;
  // Logs go to stderr so stdout carries the outcome; the run writes the same Kubernetes Events the daemon would.
  const logger = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn', { destination: process.stderr }).child({ approvedBy: by });
  const kc = createKubeConfig(config);
  const audit = createAuditTrail(config, { logger, eventWriter: createEventWriterFromKubeConfig(kc) });
  try {
    const deps = createExecuteDeps(config, { reader: createClientNodeReader(kc, { timeoutMs: config.CLUSTER_READ_TIMEOUT_MS }), safety: ctx.store, audit: audit.sink, logger, workerId: `cli-approve-${process.pid}` });
    return await executeApprovedPlan(id, deps);
  } finally {
    await audit.close();
  }
}

function printReport(report: ExecutionReport): void {
  console.log(`\nRun (${report.mode}):`);
  for (const o of report.outcomes) console.log(`  ${o.index + 1}. ${o.status}: ${o.command}\n     ${o.detail}`);
  if (report.escalate) console.log(`\nNeeds a human: ${report.escalationReasons.join('; ')}`);
}
