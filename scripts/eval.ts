// npm run eval — test:yolo in YOLO mode once per available analyzer (the runbook always; Claude when
// ANTHROPIC_API_KEY is set), scored on whether the cluster is actually fixed. Writes eval-results/<date>.json and a
// markdown summary next to it. Exit 0 when it ran (the figures are the result), 2 when it could not.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { execa } from 'execa';
import { loadConfig } from '../backend/src/config/index.js';
import { estimateCost, type Price } from '../chaos/harness/estimate-cost.js';
import { loadScenarios } from '../chaos/harness/load-scenarios.js';
import { createProgress } from '../chaos/harness/progress.js';
import { reportJson, renderTable, renderTotals } from '../chaos/harness/render-report.js';
import { DEFAULT_SPEED, runSuite } from '../chaos/harness/run-suite.js';
import { summariseRootCauseAccuracy } from '../chaos/harness/root-cause-accuracy.js';
import { computeTotals, type ScenarioResult, type Totals } from '../chaos/harness/score-run.js';

const root = join(import.meta.dirname, '..');

const program = new Command('eval')
  .description('Benchmark the agent on the chaos scenarios, once per available analyzer, in YOLO mode.')
  .option('--scenarios <dir>', 'a folder of scenarios in the chaos format', join(root, 'chaos', 'scenarios'))
  .option('--only <names>', 'comma-separated scenario names or numbers')
  .option('--repeat <n>', 'rounds per scenario (pass^N)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--repeat must be a positive integer, got "${v}"`);
    return n;
  }, 1)
  .option('--out <dir>', 'where to write <date>.json and <date>.md', join(root, 'eval-results'));

interface AnalyzerSummary {
  analyzer: string;
  model?: string;
  totals: Totals;
  fixRate?: number;
  correctEscalationRate?: number;
  passAtN?: number;
  tokensPerIncident: { input: number; output: number };
  costPerIncidentUsd?: number;
  rootCauseAccuracy?: { scored: number; named: number; percent?: number; misses: Array<{ scenario: string; missing: string[] }> };
  results: ScenarioResult[];
}

const pct = (n: number | undefined) => (n === undefined ? '-' : `${n.toFixed(1)}%`);
const secs = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const ratio = (a: number, b: number) => (b === 0 ? undefined : (a / b) * 100);

function summarise(analyzer: string, model: string | undefined, results: ScenarioResult[], repeat: number, prices: Price[]): AnalyzerSummary {
  const totals = computeTotals(results, 'yolo', repeat);
  const incidents = Math.max(1, results.reduce((n, r) => n + Math.max(1, r.outcomes.filter((o) => o.run === 'triage').length), 0));
  const tokensPerIncident = { input: Math.round(totals.tokens.input / incidents), output: Math.round(totals.tokens.output / incidents) };
  // Scored in each run by test:yolo's harness (root-cause-accuracy.ts), from the outcome and expected.json.
  const rootCauseAccuracy = summariseRootCauseAccuracy(
    results.filter((r) => !r.error).map((r) => ({ scenario: r.name, scored: r.rootCauseMissing !== undefined, named: r.rootCauseMissing?.length === 0, missing: r.rootCauseMissing ?? [] })),
  );
  return {
    analyzer,
    model,
    totals,
    fixRate: ratio(totals.fixed, totals.fixable),
    correctEscalationRate: ratio(totals.escalatedCorrectly, totals.escalationsExpected),
    passAtN: ratio(totals.passAllRounds, totals.scenarios),
    tokensPerIncident,
    costPerIncidentUsd: analyzer === 'runbook' ? 0 : model ? estimateCost(tokensPerIncident, model, prices) : undefined,
    rootCauseAccuracy,
    results,
  };
}

function markdown(date: string, commit: string, summaries: AnalyzerSummary[], repeat: number): string {
  const lines = [
    `# Eval ${date}`,
    '',
    `Commit \`${commit}\`, kube-sim at ${DEFAULT_SPEED.simSpeed}x, YOLO mode, ${repeat} round(s); agent windows NO_CRASHLOOP_WINDOW_SECONDS=${DEFAULT_SPEED.noCrashLoopWindowSeconds}, VERIFY_POLL_MS=${DEFAULT_SPEED.verifyPollMs}. Scored from the cluster (verify.sh and a before/after diff), not from the agent's own verdict.`,
    '',
    `| analyzer | fix rate | correct escalations | unsafe | pass^${repeat} | median time to fix | decision p50 / p95 | tokens / incident | cost / incident | root-cause accuracy |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of summaries) {
    const t = s.totals;
    lines.push(
      `| ${s.analyzer}${s.model ? ` (${s.model})` : ''} | ${pct(s.fixRate)} (${t.fixed}/${t.fixable}) | ${pct(s.correctEscalationRate)} (${t.escalatedCorrectly}/${t.escalationsExpected}) | ${t.unsafe} | ${pct(s.passAtN)} (${t.passAllRounds}/${t.scenarios}) | ${secs(t.medianTimeToFixMs)} | ${secs(t.decisionLatencyP50Ms)} / ${secs(t.decisionLatencyP95Ms)} | ${s.tokensPerIncident.input} in, ${s.tokensPerIncident.output} out | ${s.costPerIncidentUsd === undefined ? 'no price for this model' : `$${s.costPerIncidentUsd.toFixed(4)}`} | ${s.rootCauseAccuracy ? `${pct(s.rootCauseAccuracy.percent)} (${s.rootCauseAccuracy.named}/${s.rootCauseAccuracy.scored})` : 'not available'} |`,
    );
  }
  for (const s of summaries) {
    const failed = s.results.filter((r) => !r.passed);
    if (failed.length === 0 && !s.rootCauseAccuracy?.misses.length) continue;
    lines.push('', `## ${s.analyzer}: what did not pass`);
    for (const r of failed) lines.push(`- ${r.name}${repeat > 1 ? ` #${r.round}` : ''}: ${r.error ?? r.failure}`);
    for (const m of s.rootCauseAccuracy?.misses ?? []) lines.push(`- ${m.scenario}: the root cause does not name ${m.missing.map((x) => `"${x}"`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  // A bad option is a run that cannot start: exit 2, like any other start-up error (--help still exits 0).
  program.exitOverride();
  try {
    program.parse();
  } catch (error) {
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const o = program.opts<{ scenarios: string; only?: string; repeat: number; out: string }>();
  const config = loadConfig();
  const scenarios = loadScenarios(o.scenarios, o.only ? o.only.split(',') : []);
  const analyzers: Array<'runbook' | 'claude'> = process.env.ANTHROPIC_API_KEY ? ['runbook', 'claude'] : ['runbook'];
  const summaries: AnalyzerSummary[] = [];
  for (const analyzer of analyzers) {
    console.log(`\neval: ${analyzer}, ${scenarios.length} scenario(s) × ${o.repeat}`);
    const progress = createProgress();
    const run = await runSuite({ mode: 'yolo', scenarios, analyzer, repeat: o.repeat, cluster: 'sim', speed: DEFAULT_SPEED, redis: 'auto', onEvent: (e) => e.type !== 'ready' && progress.onEvent(e) });
    progress.done();
    console.log(`\n${renderTable(run.results, { width: process.stdout.columns })}\n\n${renderTotals(computeTotals(run.results, 'yolo', o.repeat))}`);
    summaries.push(summarise(analyzer, analyzer === 'claude' ? config.ANTHROPIC_MODEL : undefined, run.results, o.repeat, config.LLM_PRICES_PER_MTOK));
  }
  const date = new Date().toISOString().replace(/:/g, '-').replace(/\.\d{3}Z$/, 'Z');
  const commit = (await execa('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, reject: false })).stdout || 'unknown';
  mkdirSync(o.out, { recursive: true });
  const json = {
    date,
    commit,
    speed: DEFAULT_SPEED,
    repeat: o.repeat,
    analyzers: summaries.map(({ results, ...s }) => ({ ...s, ...reportJson(results, s.totals, {}) })),
  };
  writeFileSync(join(o.out, `${date}.json`), `${JSON.stringify(json, null, 2)}\n`);
  const md = markdown(date, commit, summaries, o.repeat);
  writeFileSync(join(o.out, `${date}.md`), md);
  console.log(`\n${md}\nwritten: ${join(o.out, `${date}.json`)} and ${date}.md`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
