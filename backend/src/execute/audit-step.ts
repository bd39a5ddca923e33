import type { AuditEventType, ObjectRef } from '../domain/audit.js';
import { parseAllDocuments } from 'yaml';
import { redactKubeObjects, redactText, redactValue } from '../redaction/redact.js';
import type { RiskAssessment } from '../domain/risk.js';
import type { ExecuteDeps } from './execute-deps.js';

/** Output kept in the audit trail per stream. */
const MAX_AUDIT_OUTPUT = 4_000;

/**
 * Redacts and shortens command output for the audit trail and logs. Object output (-o json/yaml) is parsed and
 * redacted structurally (Secret data, env values), because text patterns cannot see a bare value under `data:`.
 */
export function clipOutput(text: string): string {
  const clean = redactStructuredOutput(text) ?? redactText(text);
  return clean.length > MAX_AUDIT_OUTPUT ? `${clean.slice(0, MAX_AUDIT_OUTPUT)}… [${clean.length - MAX_AUDIT_OUTPUT} more chars]` : clean;
}

/** Verbs whose output is whatever a container prints or holds (mounted Secrets included). */
const CONTAINER_OUTPUT_VERBS = ['exec', 'attach', 'debug', 'run', 'cp'];

/**
 * The stdout to keep for a command's audit record. A command that can print Secret values (a Secret read with
 * -o custom-columns, jsonpath or a template; exec/cp; --raw) prints them as bare text no pattern can recognise, so its
 * output is withheld whole; everything else is redacted and clipped.
 */
export function clipStdoutOf(assessment: Pick<RiskAssessment, 'parsed' | 'reasons'>, text: string): string {
  const parsed = assessment.parsed;
  const secretish =
    parsed?.resource === 'secrets' ||
    CONTAINER_OUTPUT_VERBS.includes(parsed?.verb ?? '') ||
    parsed?.flags.raw !== undefined ||
    assessment.reasons.some((r) => /secret/i.test(r));
  if (secretish && text.trim()) return `[output withheld: this command can print Secret data; ${Buffer.byteLength(text)} bytes not recorded]`;
  return clipOutput(text);
}

/**
 * Writes one audit record. The audit trail must never stop remediation half-way (the write already happened),
 * so a failing sink is logged loudly and the step goes on.
 */
export async function auditStep(
  deps: Pick<ExecuteDeps, 'audit' | 'clock' | 'logger'>,
  type: AuditEventType,
  incidentId: string,
  data: Record<string, unknown>,
  target?: ObjectRef,
  actor = 'agent',
): Promise<void> {
  try {
    await deps.audit.write({ ts: new Date(deps.clock.now()).toISOString(), type, incidentId, actor, data: redactValue(data), ...(target ? { target } : {}) });
  } catch (error) {
    deps.logger.error({ err: error, auditType: type, incidentId }, 'audit sink failed; continuing');
  }
}

/** Redacted JSON for output that is JSON or YAML objects; undefined for anything else (tables, messages). */
function redactStructuredOutput(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(redactKubeObjects(JSON.parse(trimmed)));
    } catch {
      return looksLikeObjects(trimmed) ? withheld(trimmed) : undefined;
    }
  }
  if (!looksLikeObjects(trimmed)) return undefined;
  try {
    const docs = parseAllDocuments(trimmed);
    if (Array.isArray(docs) && docs.every((d) => d.errors.length === 0)) return JSON.stringify(redactKubeObjects(docs.map((d) => d.toJSON())));
  } catch {
    // fall through: unparseable object output is withheld rather than guessed at
  }
  return withheld(trimmed);
}

function looksLikeObjects(text: string): boolean {
  return /^\s*"?(apiVersion|kind)"?\s*:/m.test(text) && /^\s*"?(data|stringData|env|spec|metadata)"?\s*:/m.test(text);
}

function withheld(text: string): string {
  return `[object output withheld: ${Buffer.byteLength(text)} bytes could not be parsed for redaction]`;
}
