import type { IncidentOutcome, OutcomeCommand } from '../../domain/outcome.js';
import type { Evidence } from '../../domain/proposal.js';
import { duration, inline, percent } from './note-text.js';

// Pure renderers: an IncidentOutcome (and the proposal's evidence) in, plain-text note lines out. The delivery adds
// the reference line and posts them; nothing here reads the clock or the network.

export type NoteKind = 'diagnosis' | 'plan' | 'preview' | 'approval' | 'approval-expired' | 'result' | 'resolution';

export interface RenderedNote {
  kind: NoteKind;
  lines: string[];
}

export interface NoteInput {
  outcome: IncidentOutcome;
  /** The proposal's evidence, most telling first (untrusted: tool output and model text). */
  evidence?: Evidence[];
  /** When the pending approval expires (ms since epoch), for the announcement. */
  approvalExpiresAt?: number;
  /** One line per way to approve that this deployment offers, e.g. "CLI: oncall-agent approve <id> --plan-hash <hash>". */
  approvalWays?: (approval: { id: string; planHash?: string }) => string[];
  /** PUBLIC_URL: links to the approval page when set. */
  publicUrl?: string;
  /** When the note is rendered, for "expires in …". */
  now: number;
}

const HEAD = 'oncall-agent';
const MAX_EVIDENCE = 4;
const MAX_COMMANDS = 6;

/** The notes an outcome calls for, in the order they should appear on the incident's timeline. */
export function renderOutcomeNotes(input: NoteInput): RenderedNote[] {
  const { outcome } = input;
  const notes: RenderedNote[] = [];
  const diagnosed = outcome.run === 'triage' && (outcome.analyzer !== undefined || outcome.rootCause !== undefined);
  if (diagnosed) notes.push(renderDiagnosisNote(input));
  switch (outcome.outcome) {
    case 'previewed':
      notes.push(renderPlanNote(input, 'preview'));
      break;
    case 'awaiting_approval':
      // Commands decided otherwise (run at once, refused) are reported in a plan note; the announcement lists the rest.
      if (outcome.commands.some((c) => c.decision !== 'approval')) notes.push(renderPlanNote(input, 'plan'));
      notes.push(renderApprovalNote(input));
      break;
    case 'no_action':
      if (!diagnosed) notes.push(renderResultNote(input));
      break;
    default:
      if (outcome.commands.length > 0) notes.push(renderPlanNote(input, 'plan'));
      notes.push(outcome.targetChanged ? renderTargetChangedNote(input) : renderResultNote(input));
  }
  return notes;
}

export function renderDiagnosisNote({ outcome, evidence = [] }: NoteInput): RenderedNote {
  const lines = [`${HEAD} · diagnosis (${inline(outcome.analyzer ?? 'no', 20)} analyzer)`];
  lines.push(`Root cause: ${inline(outcome.rootCause || 'unknown', 300)}`);
  lines.push(`Confidence: ${percent(outcome.confidence)}`);
  if (outcome.target) lines.push(`Target: ${targetText(outcome.target)}`);
  const facts = evidence.filter((e) => inline(e.fact, 10).length > 0).slice(0, MAX_EVIDENCE);
  if (facts.length > 0) {
    lines.push('Evidence:');
    for (const e of facts) lines.push(`- ${inline(e.fact, 180)}${e.source ? ` (${inline(e.source, 40)})` : ''}`);
    if (evidence.length > facts.length) lines.push(`- … ${evidence.length - facts.length} more in the audit trail`);
  }
  if (outcome.outcome === 'no_action') lines.push(`No action taken: ${inline(outcome.reasons[0] ?? 'nothing to do', 200)}`);
  return { kind: 'diagnosis', lines };
}

/** The plan: each command with its risk and decision. In plan mode this is the preview, and says nothing changed. */
export function renderPlanNote({ outcome }: NoteInput, kind: 'plan' | 'preview'): RenderedNote {
  const lines =
    kind === 'preview'
      ? [`${HEAD} · preview (plan mode: nothing was changed)`]
      : [`${HEAD} · plan (${inline(outcome.mode, 10)} mode${outcome.run === 'approval' ? ', approved' : ''})`];
  pushCommands(lines, outcome.commands, decisionText);
  if (kind === 'preview') lines.push('To run it, approve it in approval mode or run the commands by hand after review.');
  if (outcome.outcome === 'refused' && outcome.reasons.length > 0) lines.push(`Refused: ${inline(outcome.reasons[0], 200)}`);
  return { kind, lines };
}

/** What happened: exit status and verdict per executed command, time to verify, rollback and escalation. */
export function renderResultNote(input: NoteInput): RenderedNote {
  const { outcome } = input;
  const lines = [`${HEAD} · result: ${resultWord(outcome)}`];
  const ran = outcome.commands.filter((c) => c.exitCode !== undefined || c.verdict !== undefined || c.rollback !== undefined);
  pushCommands(lines, ran, (c) => {
    const parts = [c.exitCode === undefined ? 'did not run' : `exit ${c.exitCode}`];
    if (c.verdict) parts.push(c.verdict);
    if (c.detail) parts.push(inline(c.detail, 120));
    return parts.join(', ');
  });
  if (outcome.timings.toVerifiedFixMs !== undefined) lines.push(`Time to verified fix: ${duration(outcome.timings.toVerifiedFixMs)}`);
  for (const c of outcome.commands) {
    if (c.rollback) lines.push(`Rollback of command ${c.index + 1}: ${c.rollback.restored ? 'restored the previous state' : 'FAILED'} (${inline(c.rollback.detail, 120)})`);
  }
  if (outcome.outcome === 'escalated' && outcome.escalation) {
    lines.push('A human must look:', ...escalationLines(outcome.escalation, input));
    // The diagnosis reason repeats the parts above in one string; the others (a failed command, …) follow.
    const others = outcome.reasons.filter((r) => !r.startsWith('diagnosis: ')).slice(0, 2).map((r) => `- ${inline(r, 200)}`);
    if (outcome.error) others.push(`- error: ${inline(outcome.error, 200)}`);
    lines.push(...others);
  } else if (outcome.outcome === 'escalated' || outcome.outcome === 'refused' || outcome.outcome === 'rolled_back') {
    const reasons = outcome.reasons.slice(0, 3).map((r) => `- ${inline(r, 200)}`);
    if (outcome.error) reasons.push(`- error: ${inline(outcome.error, 200)}`);
    if (reasons.length > 0) lines.push(outcome.outcome === 'escalated' ? 'A human must look:' : 'Why:', ...reasons);
  }
  return { kind: 'result', lines };
}

/**
 * The escalation's parts, one line each: the cause, its evidence (unless the diagnosis note above already lists it),
 * what a human must do, and what the agent would run with approval. The human step comes before the evidence so
 * the note's line limit never cuts it.
 */
function escalationLines(e: NonNullable<IncidentOutcome['escalation']>, input: NoteInput): string[] {
  const lines = [`- Cause: ${inline(e.cause || 'unknown', 220)}`];
  if (e.humanStep) lines.push(`- Human step: ${inline(e.humanStep, 220)}`);
  lines.push(e.wouldDo ? `- With approval the agent would: ${inline(e.wouldDo, 200)}` : '- The agent proposes no change of its own.');
  const shown = input.outcome.run === 'triage' && (input.evidence ?? []).length > 0;
  if (!shown) for (const fact of e.evidence.slice(0, 3)) lines.push(`- Evidence: ${inline(fact, 200)}`);
  return lines;
}

/** An approved plan refused because its target changed since the plan: what changed, and that a new plan follows. */
export function renderTargetChangedNote({ outcome }: NoteInput): RenderedNote {
  const changed = outcome.targetChanged;
  const lines = [`${HEAD} · approval ${inline(outcome.approval?.id ?? '?', 80)} refused: the target changed since the plan`];
  for (const change of (changed?.changes ?? []).slice(0, MAX_COMMANDS)) lines.push(`- ${inline(change, 200)}`);
  lines.push('Nothing was executed, and this approval can no longer run.');
  switch (changed?.next) {
    case 'replan-queued':
      lines.push('A new plan follows: the agent diagnoses the incident again from the cluster as it is now, and posts the new plan here (in approval mode, as a new approval with a new id).');
      break;
    case 'replan-already-queued':
      lines.push('A new plan was already made for this incident after the change: approve that one.');
      break;
    case 'replan-limit-reached':
      lines.push('No new plan: the target keeps changing and this incident reached its limit of new plans. A human must look.');
      break;
    default:
      lines.push('Re-trigger or reopen the incident for a fresh plan.');
  }
  return { kind: 'result', lines };
}

/** The approval announcement: id, exact commands with risk, expiry, and every way to approve. */
export function renderApprovalNote(input: NoteInput): RenderedNote {
  const { outcome, approvalExpiresAt, now } = input;
  const id = outcome.approval?.id ?? '?';
  const lines = [`${HEAD} · approval needed: ${inline(id, 80)}`];
  pushCommands(
    lines,
    outcome.commands.filter((c) => c.decision === 'approval'),
    (c) => inline(c.detail || 'awaiting approval', 120),
  );
  if (approvalExpiresAt !== undefined) lines.push(`Expires: ${new Date(approvalExpiresAt).toISOString()} (in ${duration(approvalExpiresAt - now)}); nothing runs after that.`);
  const ways = input.approvalWays?.({ id, planHash: outcome.approval?.planHash }) ?? [];
  if (input.publicUrl) ways.push(`Web: ${input.publicUrl.replace(/\/+$/, '')}/ui/approvals`);
  if (ways.length > 0) lines.push('Approve or deny:', ...ways.map((w) => `- ${w}`));
  else lines.push('No approval channel is configured on this agent: review the commands and run them by hand if they are right.');
  if (outcome.approval?.planHash) lines.push(`Plan hash: ${inline(outcome.approval.planHash, 16)} (re-checked against the cluster before it runs)`);
  return { kind: 'approval', lines };
}

/** Posted just before the agent resolves the incident. */
export function renderResolutionNote(recheck: string, toVerifiedFixMs: number | undefined): RenderedNote {
  return {
    kind: 'resolution',
    lines: [
      `${HEAD} · resolving: the fix is verified and the original symptom is gone`,
      `Re-check: ${inline(recheck, 200)}`,
      `Time to verified fix: ${duration(toVerifiedFixMs)}`,
      'Reopen the incident if it comes back; the agent will triage it again.',
    ],
  };
}

/** The fix verified, but the re-check before resolving did not come back clean: a human decides. */
export function renderHeldResolutionNote(recheck: string): RenderedNote {
  return {
    kind: 'resolution',
    lines: [`${HEAD} · not resolving: the re-check of the original symptom is not clean`, `Re-check: ${inline(recheck, 200)}`, 'The incident stays open for a human.'],
  };
}

/** A pending approval ran out of time: nothing was executed, and nothing will be from this plan. */
export function renderApprovalExpiredNote(approval: { id: string; commands: readonly string[]; expiresAt: number }): RenderedNote {
  const lines = [`${HEAD} · approval expired: ${inline(approval.id, 80)}`, `Expired at ${new Date(approval.expiresAt).toISOString()}; nothing was executed.`];
  approval.commands.slice(0, MAX_COMMANDS).forEach((c, i) => lines.push(`${i + 1}. ${inline(c, 200)}`));
  if (approval.commands.length > MAX_COMMANDS) lines.push(`… ${approval.commands.length - MAX_COMMANDS} more commands in the audit trail`);
  lines.push('If the problem is still there, reopen or re-trigger the incident for a fresh diagnosis and plan.');
  return { kind: 'approval-expired', lines };
}

function pushCommands(lines: string[], commands: OutcomeCommand[], status: (c: OutcomeCommand) => string): void {
  for (const c of commands.slice(0, MAX_COMMANDS)) {
    lines.push(`${c.index + 1}. [${c.risk}] ${inline(c.command, 200)}`);
    lines.push(`   → ${status(c)}`);
  }
  if (commands.length > MAX_COMMANDS) lines.push(`… ${commands.length - MAX_COMMANDS} more commands in the audit trail`);
}

function decisionText(c: OutcomeCommand): string {
  const why = c.detail ? `: ${inline(c.detail, 120)}` : '';
  switch (c.decision) {
    case 'execute':
      return c.exitCode === undefined ? `to execute (${inline(c.status, 30)})` : `executed (exit ${c.exitCode}${c.verdict ? `, ${c.verdict}` : ''})`;
    case 'approval':
      return 'awaiting approval';
    case 'preview':
      return `preview only${why}`;
    case 'refuse':
      return `refused${why}`;
    case 'skip':
      return `skipped${why}`;
  }
}

function resultWord(outcome: IncidentOutcome): string {
  switch (outcome.outcome) {
    case 'fixed':
      return 'fixed and verified';
    case 'rolled_back':
      return 'verification failed, rolled back';
    case 'escalated':
      return 'escalated to a human';
    case 'refused':
      return 'refused by policy';
    case 'no_action':
      return 'no action needed';
    default:
      return outcome.outcome;
  }
}

function targetText(target: NonNullable<IncidentOutcome['target']>): string {
  return inline(`${target.kind.toLowerCase()} ${target.namespace ? `${target.namespace}/` : ''}${target.name}`, 120);
}
