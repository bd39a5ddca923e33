import { createHash } from 'node:crypto';
import type { IncidentOutcome } from '../domain/outcome.js';
import type { Evidence } from '../domain/proposal.js';
import type { WritebackJobData, WritebackStep } from '../queue/job-schemas.js';
import { composeNote, inline } from './notes/note-text.js';
import { renderApprovalExpiredNote, renderOutcomeNotes, type NoteInput } from './notes/render-notes.js';

// Pure: what PagerDuty should be told about one outcome (notes in timeline order, change events for the writes that
// ran, a resolve when allowed), as one write-back job. Every ref derives from the run, so the same outcome always
// yields the same job id and refs: enqueuing it twice, or retrying it, writes nothing twice.

export interface WritebackPolicy {
  /** RESOLVE_ON_VERIFIED, as resolved for this run's mode. */
  resolveOnVerified: boolean;
  /** PAGERDUTY_ROUTING_KEY is set: send each executed write as a change event. */
  changeEvents: boolean;
  publicUrl?: string;
  approvalWays?: NoteInput['approvalWays'];
  /** PAGERDUTY_WRITEBACK_GIVE_UP_SECONDS in ms. */
  giveUpMs: number;
  retry: WritebackJobData['retry'];
}

export interface OutcomeWritebackInput {
  outcome: IncidentOutcome;
  evidence?: Evidence[];
  approvalExpiresAt?: number;
  now: number;
}

/** A short stable id from parts that may hold any characters (incident ids come from outside). */
export function writebackKey(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24)}`;
}

export function planOutcomeWriteback(input: OutcomeWritebackInput, policy: WritebackPolicy): WritebackJobData {
  const { outcome, now } = input;
  const key = writebackKey('run', outcome.incidentId, outcome.run, outcome.timings.receivedAt, outcome.approval?.id ?? '');
  const steps: WritebackStep[] = [];
  const notes = renderOutcomeNotes({ outcome, evidence: input.evidence, approvalExpiresAt: input.approvalExpiresAt, approvalWays: policy.approvalWays, publicUrl: policy.publicUrl, now });
  for (const note of notes) {
    const ref = `${key}.${note.kind}`;
    steps.push({ type: 'note', ref, noteKind: note.kind, content: composeNote(note.lines, ref) });
  }
  if (policy.changeEvents) {
    const at = new Date(Date.parse(outcome.timings.receivedAt) + outcome.timings.totalMs || now).toISOString();
    for (const c of outcome.commands) {
      if (c.exitCode === undefined) continue;
      steps.push({
        type: 'change',
        ref: `${key}.change-${c.index}`,
        summary: inline(`oncall-agent ran: ${c.command} (exit ${c.exitCode}${c.verdict ? `, ${c.verdict}` : ''})`, 1_000),
        timestamp: at,
        customDetails: { incident_id: outcome.incidentId, command: inline(c.command, 500), risk: c.risk, exit_code: c.exitCode, verdict: c.verdict, mode: outcome.mode, run: outcome.run },
      });
      if (c.rollback) {
        steps.push({
          type: 'change',
          ref: `${key}.rollback-${c.index}`,
          summary: inline(`oncall-agent rolled back: ${c.command} (${c.rollback.restored ? 'restored' : 'rollback FAILED'})`, 1_000),
          timestamp: at,
          customDetails: { incident_id: outcome.incidentId, command: inline(c.command, 500), restored: c.rollback.restored, detail: inline(c.rollback.detail, 300) },
        });
      }
    }
  }
  // Never on an unverified or failed result: only `fixed` (every write verified) with a target to look at again.
  if (policy.resolveOnVerified && outcome.outcome === 'fixed' && outcome.target && outcome.commands.every((c) => c.exitCode === undefined || c.verdict === 'verified')) {
    steps.push({ type: 'resolve', ref: `${key}.resolve`, target: outcome.target, toVerifiedFixMs: outcome.timings.toVerifiedFixMs });
  }
  return {
    kind: 'writeback',
    incidentId: outcome.incidentId,
    key,
    steps,
    createdAt: new Date(now).toISOString(),
    giveUpAt: new Date(now + policy.giveUpMs).toISOString(),
    retry: policy.retry,
  };
}

/** Acknowledge on pickup: its own small job, keyed by the triage job, so a retried triage never acknowledges twice. */
export function planAcknowledgeWriteback(incidentId: string, triageJobId: string, policy: Pick<WritebackPolicy, 'giveUpMs' | 'retry'>, now: number): WritebackJobData {
  const key = writebackKey('ack', incidentId, triageJobId);
  return {
    kind: 'writeback',
    incidentId,
    key,
    steps: [{ type: 'acknowledge', ref: `${key}.ack` }],
    createdAt: new Date(now).toISOString(),
    giveUpAt: new Date(now + policy.giveUpMs).toISOString(),
    retry: policy.retry,
  };
}

/** The note that a pending approval expired, keyed by the approval, so it is posted once however often expiry runs. */
export function planApprovalExpiredWriteback(
  approval: { id: string; incidentId: string; commands: readonly string[]; expiresAt: number },
  policy: Pick<WritebackPolicy, 'giveUpMs' | 'retry'>,
  now: number,
): WritebackJobData {
  const key = writebackKey('expired', approval.incidentId, approval.id);
  const ref = `${key}.approval-expired`;
  return {
    kind: 'writeback',
    incidentId: approval.incidentId,
    key,
    steps: [{ type: 'note', ref, noteKind: 'approval-expired', content: composeNote(renderApprovalExpiredNote(approval).lines, ref) }],
    createdAt: new Date(now).toISOString(),
    giveUpAt: new Date(now + policy.giveUpMs).toISOString(),
    retry: policy.retry,
  };
}

/** A short notice (e.g. an approval note refused): agent-written lines, untrusted parts already passed through `inline`. */
export function planNoticeWriteback(incidentId: string, noticeKey: string, lines: string[], policy: Pick<WritebackPolicy, 'giveUpMs' | 'retry'>, now: number): WritebackJobData {
  const key = writebackKey('notice', incidentId, noticeKey);
  const ref = `${key}.notice`;
  return {
    kind: 'writeback',
    incidentId,
    key,
    steps: [{ type: 'note', ref, noteKind: 'notice', content: composeNote(lines.map((l) => inline(l, 230)), ref) }],
    createdAt: new Date(now).toISOString(),
    giveUpAt: new Date(now + policy.giveUpMs).toISOString(),
    retry: policy.retry,
  };
}
