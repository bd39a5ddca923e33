// A job that ends without its pipeline getting to say so — its worker was killed or hung past the stall limit and
// BullMQ failed it — still ends with an `incident.outcome`: escalated, saying why, pointing at the action ledger.
import type { Logger } from '../observability/logger.js';
import { incidentJobSchema, jobIncidentId } from '../queue/job-schemas.js';
import type { PipelineDeps } from './pipeline-deps.js';
import { recordOutcome } from './record-outcome.js';

export async function recordAbandonedJob(deps: PipelineDeps, raw: unknown, reason: string, logger: Logger): Promise<void> {
  const parsed = incidentJobSchema.safeParse(raw);
  // A malformed job has no incident run to end (see the pipelines decision note); lifecycle jobs change no outcome.
  if (!parsed.success || parsed.data.kind === 'lifecycle' || parsed.data.kind === 'annotation') return;
  const job = parsed.data;
  const incidentId = jobIncidentId(job);
  const now = (deps.now ?? Date.now)();
  await recordOutcome(
    deps,
    {
      incidentId,
      run: job.kind === 'approval' ? 'approval' : 'triage',
      mode: deps.mode ?? 'approval',
      timings: { receivedAt: new Date(now).toISOString(), totalMs: 0 },
      error: `${reason}; any write it made is in the action ledger, see \`oncall-agent audit --incident ${incidentId}\``,
      ...(job.kind === 'approval' ? { approval: { id: job.approvalId, planHash: job.planHash } } : {}),
    },
    logger,
  );
}
