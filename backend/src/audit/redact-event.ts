import type { AuditEvent } from '../domain/audit.js';
import { redactKubeObjects, redactValue } from '../redaction/redact.js';

/** Longest string kept in an audit record; kubectl output beyond this is cut (the stream holds thousands of records). */
export const MAX_AUDIT_STRING = 16_384;

/**
 * The copy of an event that may be written anywhere: every string run through the shared redactor, every
 * secret-named field hidden, and long strings cut. Each sink calls this itself, so no sink can be used without it.
 */
export function redactAuditEvent(event: AuditEvent): AuditEvent {
  return truncateStrings(redactValue(mapStrings(event, redactEmbeddedJson, 0)), 0) as AuditEvent;
}

/**
 * JSON objects inside a string (a patch body in a command line: `-p '{"spec":…"env":[{"name":"DB_PASSWORD","value":…}]}'`,
 * e.g. the rollback patch built from a snapshot) are redacted structurally, as kubectl output is: text patterns
 * cannot tell an env value or a Secret datum inside JSON from any other string.
 */
export function redactEmbeddedJson(text: string): string {
  if (!text.includes('{') || !text.includes('"')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('{', i);
    if (start < 0) break;
    const end = matchingBrace(text, start);
    const candidate = end < 0 ? undefined : text.slice(start, end + 1);
    let parsed: unknown;
    try {
      parsed = candidate ? JSON.parse(candidate) : undefined;
    } catch {
      parsed = undefined;
    }
    if (candidate && parsed && typeof parsed === 'object') {
      out += text.slice(i, start) + JSON.stringify(redactKubeObjects(parsed));
      i = end + 1;
    } else {
      out += text.slice(i, start + 1);
      i = start + 1;
    }
  }
  return out + text.slice(i);
}

/** Index of the brace closing the one at `start`, skipping JSON strings; -1 when unbalanced. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let j = start; j < text.length; j += 1) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth += 1;
    else if (c === '}' && --depth === 0) return j;
  }
  return -1;
}

function mapStrings(value: unknown, fn: (s: string) => string, depth: number): unknown {
  if (typeof value === 'string') return fn(value);
  if (depth > 32 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn, depth + 1)]));
}

function truncateStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_AUDIT_STRING ? `${value.slice(0, MAX_AUDIT_STRING)}…[${value.length - MAX_AUDIT_STRING} more characters cut]` : value;
  }
  if (depth > 32 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => truncateStrings(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = truncateStrings(v, depth + 1);
  return out;
}
