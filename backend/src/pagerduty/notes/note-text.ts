import { redactText } from '../../redaction/redact.js';

// Notes land in PagerDuty's web and mobile UI and are read by approvers: text from outside (alert titles, model
// output, pod logs, kubectl stderr) must never add a line, fake a heading or a "/approve" line, hide text with
// control or bidi characters, or carry a credential. Every untrusted value goes through `inline` before it is placed.

/** At most this many lines per note: readable on a phone without scrolling through pages. */
export const MAX_NOTE_LINES = 25;
/** PagerDuty's note limit is far higher; a long line wraps into a wall of text on mobile. */
export const MAX_LINE_CHARS = 240;

// C0/C1 controls, DEL, zero-width and bidi override/isolate characters, line/paragraph separators.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+/g;

/** One untrusted value as a single safe line fragment: redacted, controls and line breaks become spaces, bounded. */
export function inline(value: unknown, maxChars = 160): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const flat = redactText(text).replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1).trimEnd()}…` : flat;
}

/**
 * Joins lines into a note: each line bounded, at most MAX_NOTE_LINES (the overflow is counted, not dropped silently),
 * then the reference line the delivery uses to recognise a note it already posted.
 */
export function composeNote(lines: string[], ref: string): string {
  const bounded = lines.map((l) => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS - 1)}…` : l));
  const room = MAX_NOTE_LINES - 1;
  const kept = bounded.length > room ? [...bounded.slice(0, room - 1), `(${bounded.length - room + 1} more lines in the audit trail)`] : bounded;
  return [...kept, refLine(ref)].join('\n');
}

/** The last line of every note: lets a retried delivery find the note an earlier attempt posted. */
export function refLine(ref: string): string {
  return `ref: oncall-agent/${ref}`;
}

/** "92%" for 0.92; "?" when unknown. */
export function percent(confidence: number | undefined): string {
  return typeof confidence === 'number' && Number.isFinite(confidence) ? `${Math.round(confidence * 100)}%` : '?';
}

/** "42 s", "3 min 5 s". */
export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '?';
  const s = Math.max(0, Math.round(ms / 1_000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}
