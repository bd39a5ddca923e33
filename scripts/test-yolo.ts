// npm run test:yolo — break a cluster on purpose, page the agent like PagerDuty, and score from the cluster itself.
// Exit 0: every check held; 1: an unsafe action, a plan-mode change, or (yolo/approval) a fixable scenario left
// unfixed; 2: the run could not start (bad option, bad scenario folder, no cluster).
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadScenarios, ScenarioError } from '../chaos/harness/load-scenarios.js';
import { createProgress } from '../chaos/harness/progress.js';
import { renderTable, renderTotals, reportJson } from '../chaos/harness/render-report.js';
import { DEFAULT_SPEED, runSuite } from '../chaos/harness/run-suite.js';
import { computeTotals, exitCodeOf } from '../chaos/harness/score-run.js';

const positive = (label: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${label} must be a positive number, got "${value}"`);
  return n;
};

const program = new Command('test-yolo')
  .description('Run the chaos scenarios against the real agent and score it from the cluster itself.')
  .addOption(new Option('--mode <mode>', 'the agent\'s EXECUTION_MODE').choices(['yolo', 'approval', 'plan']).default('yolo'))
  .option('--scenarios <dir>', 'a folder of scenarios in the chaos format', 'chaos/scenarios')
  .option('--only <names>', 'comma-separated scenario names or numbers (e.g. 01,oomkilled)')
  .addOption(new Option('--analyzer <analyzer>', 'runbook (offline) or claude (needs ANTHROPIC_API_KEY)').choices(['runbook', 'claude']).default('runbook'))
  .addOption(new Option('--repeat <n>', 'rounds per scenario, for pass^N').argParser((v) => Math.round(positive('--repeat')(v))).default(1))
  .addOption(new Option('--parallel <n>', 'scenarios side by side (those touching nodes or kube-system still run alone)').argParser((v) => Math.round(positive('--parallel')(v))).default(1))
  .option('--json <file>', 'write the results as JSON')
  .option('--url <url>', 'use an agent already running at this URL instead of starting one')
  .addOption(new Option('--cluster <cluster>', 'sim: start kube-sim; kubeconfig: use the cluster of KUBECONFIG').choices(['sim', 'kubeconfig']).default('sim'))
  .addOption(new Option('--speed <x>', 'kube-sim time speed-up').argParser(positive('--speed')).default(DEFAULT_SPEED.simSpeed))
  .addOption(new Option('--no-redis', 'in-process queue (approval scenarios then cannot be approved)'))
  .addHelpText(
    'after',
    `
Each scenario folder holds setup.sh, verify.sh, cleanup.sh, alert.json (more alerts: alert-2.json, ...),
expected.json and README.md; see chaos/scenarios/README.md. Verification windows are shortened for speed and
printed at the start; with --url, set PAGERDUTY_WEBHOOK_SECRETS and AUDIT_JSONL_PATH (or REDIS_URL) to the
running agent's, and point its PAGERDUTY_API_URL at CHAOS_PAGERDUTY_PORT on 127.0.0.1. With PAGERDUTY_ROUTING_KEY
set (and PAGERDUTY_EVENTS_URL for a regional endpoint), each incident also pages that real PagerDuty service through
the Events API v2 and is resolved when its scenario ends; the agent's change events go there too.`,
  );

async function main(): Promise<number> {
  // A bad option is a run that cannot start: exit 2, like any other start-up error (--help still exits 0).
  program.exitOverride();
  try {
    program.parse();
  } catch (error) {
    return (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const o = program.opts<{ mode: 'yolo' | 'approval' | 'plan'; scenarios: string; only?: string; analyzer: 'runbook' | 'claude'; repeat: number; parallel: number; json?: string; url?: string; cluster: 'sim' | 'kubeconfig'; speed: number; redis: boolean }>();
  let scenarios;
  try {
    scenarios = loadScenarios(o.scenarios, o.only ? o.only.split(',') : []);
  } catch (error) {
    if (error instanceof ScenarioError) {
      console.error(`test-yolo: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const speed = { ...DEFAULT_SPEED, simSpeed: o.speed };
  const progress = createProgress();
  const started = Date.now();
  const run = await runSuite({
    mode: o.mode,
    scenarios,
    analyzer: o.analyzer,
    repeat: o.repeat,
    parallel: o.parallel,
    url: o.url,
    cluster: o.cluster,
    speed,
    redis: o.redis ? 'auto' : 'off',
    onEvent: (event) => {
      if (event.type === 'ready') {
        const s = event.settings;
        console.log(`test-yolo: ${scenarios.length} scenario(s) × ${o.repeat}, mode ${o.mode}, analyzer ${o.analyzer}, ${s.cluster}, queue ${s.queue}, ${o.parallel} at a time`);
        console.log(`  agent limits: ${s.limits}`);
        console.log(`  agent windows: NO_CRASHLOOP_WINDOW_SECONDS=${speed.noCrashLoopWindowSeconds} VERIFY_POLL_MS=${speed.verifyPollMs} VERIFY_DEADLINE_SECONDS=${speed.verifyDeadlineSeconds}; logs and audit under ${s.workDir}`);
        return;
      }
      progress.onEvent(event);
    },
  });
  progress.done();
  const totals = computeTotals(run.results, o.mode, o.repeat);
  console.log(`\n${renderTable(run.results, { width: process.stdout.columns })}\n`);
  console.log(renderTotals(totals));
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (o.json) {
    writeFileSync(o.json, `${JSON.stringify(reportJson(run.results, totals, run.settings), null, 2)}\n`);
    console.log(`results written to ${o.json}`);
  }
  return exitCodeOf(run.results, o.mode);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test-yolo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
