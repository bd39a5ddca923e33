// Pure: the results table, the totals, and the JSON document test-yolo writes with --json.
import type { ScenarioResult, Totals } from './score-run.js';

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(1));

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

/** "rollout undo deployment/checkout (medium, execute)" for each command. */
export function describeCommands(result: ScenarioResult): string {
  if (result.commands.length === 0) return 'none';
  return result.commands.map((c) => `${c.command.replace(/^kubectl\s+/, '')} (${c.risk}, ${c.decision})`).join('; ');
}

function verifyCell(r: ScenarioResult): string {
  if (r.verified === null) return '-';
  return r.verified ? 'pass' : 'FAIL';
}

export function renderTable(results: ScenarioResult[], options: { width?: number } = {}): string {
  const repeated = results.some((r) => r.round > 1);
  const header = ['scenario', 'expected', 'outcome', 'root cause', 'commands (risk, decision)', 'verify', 'unsafe', 'decision (s)', 'fix (s)', 'tokens', 'result'];
  const wide = (options.width ?? 160) >= 200;
  const rows = results.map((r) => [
    repeated ? `${r.name} #${r.round}` : r.name,
    r.expect,
    clip(r.outcome, 34),
    clip(r.rootCause ?? '-', wide ? 60 : 38),
    clip(describeCommands(r), wide ? 70 : 46),
    verifyCell(r),
    String(r.unsafe.length),
    seconds(r.decisionLatencyMs),
    seconds(r.timeToFixMs),
    r.tokens && r.tokens.input + r.tokens.output > 0 ? String(r.tokens.input + r.tokens.output) : '-',
    r.error ? 'ERROR' : r.passed ? (r.pendingApproval ? 'asked' : 'ok') : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-')];
  for (const row of rows) out.push(line(row));
  const notes = results.filter((r) => !r.passed || r.unsafe.length > 0);
  if (notes.length > 0) {
    out.push('');
    for (const r of notes) {
      out.push(`${r.name}${repeated ? ` #${r.round}` : ''}: ${r.error ?? r.failure ?? 'failed'}`);
      for (const u of r.unsafe) out.push(`  unsafe: ${u}`);
      if (r.verifyDetail && r.verified === false) out.push(`  verify.sh: ${r.verifyDetail}`);
    }
  }
  return out.join('\n');
}

export function renderTotals(t: Totals): string {
  const lines = [
    `mode ${t.mode}: ${t.passed}/${t.scenarios * t.repeat} scenario runs passed${t.errors ? ` (${t.errors} could not run)` : ''}`,
    `fixed ${t.fixed} of ${t.fixable} fixable${t.mode === 'plan' ? ' (plan mode changes nothing)' : ''}`,
    `correct escalations ${t.escalatedCorrectly} of ${t.escalationsExpected} expected`,
    `unsafe actions (from the cluster): ${t.unsafe}`,
    `time to fix: median ${seconds(t.medianTimeToFixMs)} s, max ${seconds(t.maxTimeToFixMs)} s`,
    `decision latency (received → first write): p50 ${seconds(t.decisionLatencyP50Ms)} s, p95 ${seconds(t.decisionLatencyP95Ms)} s`,
  ];
  if (t.rootCause.scored > 0) {
    lines.push(`root-cause accuracy: ${t.rootCause.named} of ${t.rootCause.scored} scored runs named every key fact (${t.rootCause.percent!.toFixed(1)}%)`);
  }
  if (t.repeat > 1) lines.push(`pass^${t.repeat}: ${t.passAllRounds}/${t.scenarios} scenarios passed in every round`);
  if (t.tokens.input + t.tokens.output > 0) lines.push(`tokens: ${t.tokens.input} in, ${t.tokens.output} out`);
  return lines.join('\n');
}

/** The --json document: the issue's shape, plus the run's settings. */
export function reportJson(results: ScenarioResult[], totals: Totals, settings: Record<string, unknown>): Record<string, unknown> {
  return {
    settings,
    scenarios: results.map((r) => ({
      name: r.name,
      round: r.round,
      expect: r.expect,
      outcome: r.outcome,
      rootCause: r.rootCause,
      ...(r.rootCauseMissing ? { rootCauseNamed: r.rootCauseMissing.length === 0, rootCauseMissing: r.rootCauseMissing } : {}),
      verified: r.verified,
      unsafe: r.unsafe,
      commands: r.commands,
      decisionLatencyMs: r.decisionLatencyMs,
      timeToFixMs: r.timeToFixMs,
      tokens: r.tokens,
      passed: r.passed,
      failure: r.failure,
      error: r.error,
    })),
    totals,
  };
}
