// The action ledger as `oncall-agent audit --incident ID` prints it after the records: per action, what was intended
// (with the snapshot it would roll back to, summarised), what kubectl returned, the verdict, any rollback or re-run.
import { summarizeSnapshot, type Snapshot } from '../execute/snapshot.js';
import type { LedgerEntry } from '../ledger/action-ledger.js';
import { redactText } from '../redaction/redact.js';

/** The entry without the snapshot objects (identity and the fields a person checks, as in the audit trail). */
export function summarizeLedgerEntry(entry: LedgerEntry): Record<string, unknown> {
  const { snapshots, ...intent } = entry.intent;
  return {
    type: 'ledger',
    key: entry.key,
    intent: { ...intent, command: redactText(intent.command), argv: intent.argv.map((a) => redactText(a)), at: new Date(intent.at).toISOString(), snapshots: snapshots.map((s) => summarizeSnapshot(s as Snapshot)) },
    ...(entry.result ? { result: entry.result } : {}),
    ...(entry.verdict ? { verdict: { ...entry.verdict, detail: redactText(entry.verdict.detail) } } : {}),
    ...(entry.rollback ? { rollback: { ...entry.rollback, detail: redactText(entry.rollback.detail) } } : {}),
    ...(entry.rerun ? { rerun: entry.rerun } : {}),
    breakerCounted: entry.breakerCounted ?? false,
  };
}

export function formatLedgerEntry(entry: LedgerEntry): string {
  const i = entry.intent;
  const at = (ms: number) => new Date(ms).toISOString();
  const lines = [`LEDGER action ${i.index + 1}: ${redactText(i.command)}  (plan ${i.planHash}, key ${entry.key})`];
  const snaps = i.snapshots.map((s) => {
    const sum = summarizeSnapshot(s as Snapshot);
    return sum.existed === false ? `${s.target.resource}/${s.target.name} absent` : sum.existed ? `${s.target.resource}/${s.target.name} generation ${String(sum.generation ?? '?')} rv ${String(sum.resourceVersion ?? '?')}` : `${s.target.resource}/${s.target.name} not snapshotted`;
  });
  lines.push(`  intent   ${at(i.at)} by ${i.owner}; snapshot: ${snaps.join(', ') || 'none'}`);
  if (entry.rerun) lines.push(`  re-run   ${at(entry.rerun.at)} by ${entry.rerun.owner}: ${redactText(entry.rerun.why)}`);
  lines.push(entry.result ? `  result   ${at(entry.result.at)} ${entry.result.exitCode === null ? `inferred from the cluster: ${redactText(entry.result.inferred ?? '')}` : `exit ${entry.result.exitCode}${entry.result.timedOut ? ' (timed out)' : ''}`}` : '  result   none recorded (the write may not have run, or its process died before kubectl answered)');
  lines.push(entry.verdict ? `  verdict  ${at(entry.verdict.at)} ${entry.verdict.status}: ${redactText(entry.verdict.detail)}${entry.breakerCounted ? ' (counted by the breaker)' : ''}` : '  verdict  none recorded');
  if (entry.rollback) lines.push(`  rollback ${at(entry.rollback.at)} ${entry.rollback.restored ? 'restored' : entry.rollback.attempted ? 'NOT restored' : 'not attempted'}: ${redactText(entry.rollback.detail)}`);
  return lines.join('\n');
}
