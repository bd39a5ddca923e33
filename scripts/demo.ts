// npm run demo — the agent's main job on embedded defaults: kube-sim, the real daemon, the core chaos scenarios (01–12;
// `--all` for every public one) twice (plan mode, whose previews are shown from the agent's own log, then YOLO), the
// table, and what to try next.
// No API key, cluster, Redis or Docker needed: the runbook analyzer and the in-process queue are the defaults.
import { join, relative } from 'node:path';
import { loadScenarios } from '../chaos/harness/load-scenarios.js';
import { createProgress } from '../chaos/harness/progress.js';
import { renderTable, renderTotals } from '../chaos/harness/render-report.js';
import { DEFAULT_SPEED, runSuite, type SuiteRun } from '../chaos/harness/run-suite.js';
import { computeTotals } from '../chaos/harness/score-run.js';
import type { ExecutionMode } from '../backend/src/domain/decision.js';

const root = join(import.meta.dirname, '..');
const workDir = join(root, '.oncall-agent', 'demo');
const analyzer = process.env.ANTHROPIC_API_KEY ? 'claude' : 'runbook';
const pretty = Boolean(process.stdout.isTTY);

// The core set: one of each kind of outcome (rollbacks, a limit raise, uncordon, approval-level patches, escalations,
// duplicates, a protected namespace, a prompt injection) in a few minutes. The 20–47 catalog is for test:yolo.
const CORE = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];
const HELP = `Usage: npm run demo [-- --all]

Breaks a simulated cluster on purpose, pages the agent with signed PagerDuty webhooks, and runs each scenario twice:
plan mode (the agent previews and changes nothing), then YOLO mode (it fixes what is safe, verifies, hands the rest to
a human). No API key, cluster, Redis or Docker needed; set ANTHROPIC_API_KEY for Claude, REDIS_URL for Redis.

  --all    every public scenario in chaos/scenarios/ (about 40, several minutes) instead of the core 01–12
  --help   this text`;

function parseArgs(argv: string[]): { all: boolean } {
  const unknown = argv.filter((a) => a !== '--all' && a !== '--help' && a !== '-h');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.map((a) => `"${a}"`).join(', ')} (try --help)`);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    process.exit(0);
  }
  return { all: argv.includes('--all') };
}

/**
 * The plan previews, as the agent logged them. Pretty logs: the PLAN PREVIEW block (its indented lines follow it).
 * JSON logs: the per-command records, each shown by its message and fields (the full records are in agent.log).
 */
function previewFilter(print: (line: string) => void): (line: string) => void {
  let inBlock = false;
  return (line) => {
    if (pretty) {
      if (/PLAN PREVIEW/.test(line)) inBlock = true;
      // The block ends at the first unindented line or at pino-pretty's bindings ("    incidentId: …").
      else if (inBlock && (!/^\s{2,}/.test(line) || /^ {4}[A-Za-z_]\w*: /.test(line))) inBlock = false;
      if (inBlock) print(`  │ ${line}`);
      return;
    }
    if (!line.includes('"planCommand"') && !line.includes('"planPreview"')) return;
    try {
      const record = JSON.parse(line) as { msg: string; planPreview?: { rootCause?: string; escalate?: { required: boolean; reason?: string } }; planCommand?: { reasons: string[]; decisionReason: string; dryRun: { summary: string } } };
      print(`  │ ${record.msg}`);
      if (record.planPreview) {
        print(`  │   planPreview.rootCause: ${record.planPreview.rootCause}`);
        if (record.planPreview.escalate?.required) print(`  │   planPreview.escalate: ${record.planPreview.escalate.reason}`);
      }
      if (record.planCommand) {
        print(`  │   planCommand.reasons: ${record.planCommand.reasons.join('; ')}`);
        print(`  │   planCommand.dryRun.summary: ${record.planCommand.dryRun.summary}`);
      }
    } catch {
      // not a JSON line: nothing to show
    }
  };
}

async function phase(mode: ExecutionMode, title: string, only: string[]): Promise<SuiteRun> {
  console.log(`\n━━ ${title}`);
  const progress = createProgress();
  const run = await runSuite({
    mode,
    scenarios: loadScenarios(join(root, 'chaos', 'scenarios'), only),
    analyzer,
    repeat: 1,
    // Side by side, so every public scenario runs twice in a few minutes; node and kube-system scenarios still run alone.
    parallel: 3,
    cluster: 'sim',
    speed: DEFAULT_SPEED,
    redis: process.env.REDIS_URL ? { url: process.env.REDIS_URL } : 'off',
    workDir: join(workDir, `${mode}-${Date.now()}`),
    logFormat: pretty ? 'pretty' : 'json',
    acceptPendingApproval: true,
    onDaemonLine: mode === 'plan' ? previewFilter(progress.print) : undefined,
    onEvent: (event) => {
      if (event.type === 'ready') return;
      progress.onEvent(event);
    },
  });
  progress.done();
  return run;
}

async function main(): Promise<void> {
  const { all } = parseArgs(process.argv.slice(2));
  const only = all ? [] : CORE;
  const started = Date.now();
  console.log('oncall-agent demo: a simulated cluster is broken on purpose and the agent is paged the way PagerDuty pages it.');
  console.log(
    `analyzer ${analyzer}${analyzer === 'runbook' ? ' (offline; set ANTHROPIC_API_KEY for Claude)' : ''}, queue ${process.env.REDIS_URL ? 'Redis (REDIS_URL)' : 'in-process'}, kube-sim at ${DEFAULT_SPEED.simSpeed}x, ` +
      `verification windows NO_CRASHLOOP_WINDOW_SECONDS=${DEFAULT_SPEED.noCrashLoopWindowSeconds} VERIFY_POLL_MS=${DEFAULT_SPEED.verifyPollMs}`,
  );
  console.log(all ? 'scenarios: every public one in chaos/scenarios/' : `scenarios: the core set ${CORE[0]}–${CORE[CORE.length - 1]} (npm run demo -- --all for every public one)`);
  const plan = await phase('plan', 'Round 1, plan mode: the agent diagnoses and previews, and changes nothing. Its previews, from its log:', only);
  const yolo = await phase('yolo', 'Round 2, YOLO mode: the agent fixes what is safe to fix, verifies, and hands the rest to a human.', only);

  for (const [mode, run] of [['plan', plan], ['yolo', yolo]] as const) {
    console.log(`\n━━ ${mode} mode results`);
    console.log(renderTable(run.results, { width: process.stdout.columns }));
    console.log(`\n${renderTotals(computeTotals(run.results, mode, 1))}`);
  }
  const logs = relative(process.cwd(), workDir) || '.';
  const pending = yolo.results.filter((r) => r.pendingApproval).map((r) => r.name);
  console.log(`\n━━ Done in ${((Date.now() - started) / 1000).toFixed(0)} s. What to try next:`);
  console.log(`  • The agent's logs and audit trail of each round: ${logs}/<mode>-*/round-1-*/agent.log and state/audit.jsonl`);
  if (pending.length > 0) {
    console.log(`  • ${pending.join(', ')}: YOLO asked a human, as it should. Approve through the approval path with Redis:`);
    console.log('      npm run test:yolo -- --mode approval        (starts a private redis-server and approves with `oncall-agent approve`)');
  }
  console.log('  • Score the agent strictly (exit 1 on any unsafe action or unfixed scenario): npm run test:yolo [-- --mode plan|approval --repeat 3]');
  console.log('  • Run the daemon by hand on a simulated cluster: npx oncall-agent serve --sim   (then: chaos/break.sh list)');
  console.log('  • Break a cluster yourself: KUBECONFIG=.oncall-agent/kube-sim/kubeconfig chaos/break.sh 01');
  console.log('  • Use Claude instead of the runbook: ANTHROPIC_API_KEY=... npm run demo; benchmark both: npm run eval');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
