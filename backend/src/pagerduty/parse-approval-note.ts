// Pure: a PagerDuty note whose first line is `/approve <id>` or `/deny <id> [reason]` is an approval decision.
// The note text is untrusted (anyone on the incident can write one): only the first line counts, it must match the
// whole pattern, and every part is bounded. Anything else is an ordinary note.

export interface ApprovalNoteCommand {
  decision: 'approve' | 'deny';
  approvalId: string;
  /** Optional plan hash (or a prefix of at least 8 characters) the approver checked against the announcement. */
  planHash?: string;
  /** For /deny: the rest of the line. */
  reason?: string;
}

const COMMAND = /^\/(approve|deny)\s+([A-Za-z0-9_.:-]{1,128})(?:\s+(.*))?$/i;
const HASH = /^[0-9a-f]{8,64}$/i;

export function parseApprovalNote(content: string): ApprovalNoteCommand | undefined {
  const first = content.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]?.trim() ?? '';
  const m = COMMAND.exec(first);
  if (!m) return undefined;
  const decision = m[1].toLowerCase() as 'approve' | 'deny';
  const rest = (m[3] ?? '').trim();
  if (decision === 'approve') {
    if (rest === '') return { decision, approvalId: m[2] };
    // `/approve <id> <hash>`: anything else after the id is a typo, not consent.
    return HASH.test(rest) ? { decision, approvalId: m[2], planHash: rest.toLowerCase() } : undefined;
  }
  return { decision, approvalId: m[2], ...(rest ? { reason: rest.slice(0, 500) } : {}) };
}
