// Wraps the pipeline's job handler with what PagerDuty's side of an incident means for the work on it:
// - write-back jobs run here (never inside a remediation);
// - a triage job acknowledges its incident on pickup (ACK_ON_PICKUP), is skipped when PagerDuty resolved the incident
//   after the job arrived, and runs under a signal that aborts (before its next write) when it is resolved meanwhile;
// - `incident.resolved` marks the incident and aborts its active runs in this process at once (other workers see the
//   mark within a poll); `incident.acknowledged` by a person marks it for plan mode;
// - a note whose first line is `/approve <id>` or `/deny <id>` becomes the same queued approval decision as every
//   other channel's (the decision pipeline re-checks plan hash, kill switch, breaker and risk).
import type { PendingApproval } from '../domain/approval.js';
import type { AuditSink } from '../domain/ports.js';
import { parseApprovalNote } from '../pagerduty/parse-approval-note.js';
import type { IncidentJobHandler, JobContext } from '../queue/incident-queue.js';
import type { AnnotationJobData, ApprovalJobData, LifecycleJobData, TriageJobData } from '../queue/job-schemas.js';
import type { IncidentMarks } from '../safety/incident-marks.js';
import { decideLifecycleEffect, isCancelledByResolve, isForcedToPlan } from './lifecycle-policy.js';

/** What the wrapper needs from the PagerDuty write-back (app/create-pagerduty-writeback.ts). */
export interface PagerDutySide {
  readonly enabled: boolean;
  readonly marks: IncidentMarks;
  onPickup(incident: TriageJobData['incident'], triageJobId: string, mode: 'yolo' | 'approval' | 'plan'): Promise<void>;
  runJob: (job: Extract<Parameters<IncidentJobHandler>[0], { kind: 'writeback' }>, ctx: JobContext) => Promise<void>;
  ownUserId(): Promise<string | undefined>;
  pickupMode(incident: TriageJobData['incident']): 'yolo' | 'approval' | 'plan';
  /** Posts a short note on the incident (queued write-back), keyed so it is posted once. */
  notify(incidentId: string, key: string, lines: string[]): Promise<void>;
}

/** What approvals given as PagerDuty notes need. */
export interface NoteApprovals {
  get(approvalId: string): Promise<PendingApproval | undefined>;
  /** Stores the decision as an `approval` job (the same job every channel uses). */
  enqueue(job: ApprovalJobData): Promise<unknown>;
  /** APPROVER_PAGERDUTY_USER_IDS; empty: any PagerDuty user. */
  approverIds: readonly string[];
}

export interface WithPagerDutyOptions {
  audit: AuditSink;
  /** HUMAN_ACK_FORCES_PLAN */
  humanAckForcesPlan: boolean;
  /** How often an active triage run looks for a resolve recorded by another worker process. */
  resolvePollMs?: number;
  now?: () => number;
  /** Absent: notes are recorded only (no approval stage in this process). */
  approvals?: NoteApprovals;
}

/** The reason an active run's signal carries when PagerDuty resolved its incident. */
export class IncidentResolvedError extends Error {
  constructor(incidentId: string) {
    super(`incident ${incidentId} was resolved in PagerDuty; stopped before the next write`);
    this.name = 'IncidentResolvedError';
  }
}

export interface PagerDutyAwareHandler {
  handler: IncidentJobHandler;
  /**
   * Whether the incident's active triage run must preview only: a person acknowledged it in PagerDuty (after the
   * reopen, for a reopened incident). Asked by the execute stage, so an acknowledgement during diagnosis still counts.
   */
  isForcedToPlan(incidentId: string): Promise<boolean>;
}

export function withPagerDuty(inner: IncidentJobHandler, side: PagerDutySide, options: WithPagerDutyOptions): PagerDutyAwareHandler {
  const now = options.now ?? Date.now;
  const active = new Map<string, Set<{ controller: AbortController; job: TriageJobData }>>();
  const forcedToPlan = async (job: TriageJobData) => isForcedToPlan(await side.marks.get(job.incident.id, 'human-ack'), job);
  const activeForcedToPlan = async (incidentId: string) => {
    const runs = [...(active.get(incidentId) ?? [])];
    if (runs.length === 0) return false;
    const ackAt = await side.marks.get(incidentId, 'human-ack');
    return runs.some((r) => isForcedToPlan(ackAt, r.job));
  };
  const record = (incidentId: string, data: Record<string, unknown>, actor = 'agent') =>
    options.audit.write({ ts: new Date(now()).toISOString(), type: 'incident.lifecycle', incidentId, actor, data });

  const runTriage = async (job: TriageJobData, ctx: JobContext): Promise<unknown> => {
    const id = job.incident.id;
    if (isCancelledByResolve(await side.marks.get(id, 'resolved'), job.origin.receivedAt)) {
      ctx.logger.info(`incident ${id} was resolved in PagerDuty before this job ran: skipped`);
      await record(id, { skipped: 'triage', reason: 'resolved in PagerDuty before the job ran', deliveryId: job.origin.deliveryId });
      return undefined;
    }
    const forced = await forcedToPlan(job);
    await side.onPickup(job.incident, ctx.jobId, forced ? 'plan' : side.pickupMode(job.incident)).catch((error: unknown) => ctx.logger.warn({ err: error }, 'could not queue the acknowledgement'));
    const controller = new AbortController();
    const entry = { controller, job };
    const set = active.get(id) ?? new Set();
    set.add(entry);
    active.set(id, set);
    const poll = setInterval(() => {
      side.marks
        .get(id, 'resolved')
        .then((at) => isCancelledByResolve(at, job.origin.receivedAt) && controller.abort(new IncidentResolvedError(id)))
        .catch(() => undefined);
    }, options.resolvePollMs ?? 2_000);
    poll.unref();
    try {
      return await inner(job, { ...ctx, signal: AbortSignal.any([ctx.signal, controller.signal]) });
    } catch (error) {
      if (!controller.signal.aborted || ctx.signal.aborted) throw error;
      // Resolved while it ran: the run stopped before its next write. Nothing to retry.
      ctx.logger.warn({ err: error }, `incident ${id} was resolved in PagerDuty while the agent worked on it: stopped`);
      await record(id, { stopped: 'triage', reason: 'resolved in PagerDuty while the run was active', deliveryId: job.origin.deliveryId });
      return undefined;
    } finally {
      clearInterval(poll);
      set.delete(entry);
      if (set.size === 0) active.delete(id);
    }
  };

  const applyLifecycle = async (job: LifecycleJobData, ctx: JobContext) => {
    const id = job.incident.id;
    const effect = decideLifecycleEffect(job, {
      humanAckForcesPlan: options.humanAckForcesPlan,
      ownUserId: job.status === 'acknowledged' && side.enabled ? await side.ownUserId() : undefined,
      agentAcknowledges: side.enabled,
    });
    const at = Date.parse(job.origin.receivedAt);
    if (effect.kind === 'cancel-work') {
      await side.marks.set(id, 'resolved', at);
      for (const run of active.get(id) ?? []) run.controller.abort(new IncidentResolvedError(id));
    } else if (effect.kind === 'force-plan') {
      await side.marks.set(id, 'human-ack', at);
      ctx.logger.info(`incident ${id} ${effect.why}: the agent will only preview plans for it`);
      await record(id, { forcedMode: 'plan', reason: effect.why, deliveryId: job.origin.deliveryId }, effect.by);
    }
  };

  /** `/approve <id>` or `/deny <id>` in a note: checked here for what only PagerDuty knows, decided by the worker. */
  const applyApprovalNote = async (job: AnnotationJobData, ctx: JobContext) => {
    const command = parseApprovalNote(job.content);
    if (!command || !options.approvals) return;
    const author = job.author;
    const who = author?.summary ?? author?.id ?? 'someone';
    const refuse = async (why: string) => {
      ctx.logger.warn({ approvalId: command.approvalId, author: author?.id }, `PagerDuty note /${command.decision} ${command.approvalId} refused: ${why}`);
      await record(job.incidentId, { approvalNote: command.decision, approvalId: command.approvalId, refused: why, noteId: job.noteId }, who);
      await side.notify(job.incidentId, `note-refused-${job.noteId}`, [`oncall-agent · /${command.decision} ${command.approvalId} from ${who} refused`, `Why: ${why}`, 'Nothing was executed.']);
    };
    if (side.enabled && author?.id && author.id === (await side.ownUserId())) return;
    if (!author?.id) return refuse('the note has no PagerDuty user as its author');
    const allowed = options.approvals.approverIds;
    if (allowed.length > 0 && !allowed.includes(author.id)) return refuse(`${who} (${author.id}) is not in APPROVER_PAGERDUTY_USER_IDS`);
    const approval = await options.approvals.get(command.approvalId);
    if (!approval) return refuse(`there is no approval ${command.approvalId}`);
    if (approval.incidentId !== job.incidentId) return refuse(`approval ${command.approvalId} belongs to another incident`);
    if (command.planHash && !approval.planHash.startsWith(command.planHash)) return refuse(`plan hash ${command.planHash} does not match the plan of ${command.approvalId}`);
    if (approval.status === 'denied' || approval.status === 'expired' || approval.status === 'cancelled') return refuse(`approval ${command.approvalId} is already ${approval.status}`);
    await options.approvals.enqueue({
      kind: 'approval',
      approvalId: approval.id,
      incidentId: approval.incidentId,
      decision: command.decision,
      planHash: approval.planHash,
      by: `${who} (PagerDuty ${author.id})`,
      ...(command.reason ? { reason: command.reason } : {}),
      channel: 'pagerduty',
      origin: job.origin,
    });
    ctx.logger.info({ approvalId: approval.id, author: author.id }, `PagerDuty note: ${command.decision} of ${approval.id} by ${who} queued`);
    if (command.decision === 'deny') await side.notify(job.incidentId, `note-deny-${job.noteId}`, [`oncall-agent · ${approval.id} denied by ${who}`, 'The plan will not run.']);
  };

  const handler: IncidentJobHandler = async (job, ctx) => {
    switch (job.kind) {
      case 'writeback':
        return side.runJob(job, ctx);
      case 'triage':
        return runTriage(job, ctx);
      case 'lifecycle':
        await applyLifecycle(job, ctx);
        return inner(job, ctx);
      case 'annotation':
        await applyApprovalNote(job, ctx);
        return inner(job, ctx);
      default:
        return inner(job, ctx);
    }
  };
  // A job that cannot be read still ends its incident's run, as without write-back.
  handler.invalidJob = inner.invalidJob;
  return { isForcedToPlan: activeForcedToPlan, handler };
}
