// The runbook's chaos scenarios (20–39, 48 and 50–59), each broken for real by its own setup.sh (bash + the real kubectl) on
// kube-sim, diagnosed from its alert.json through diagnoseIncident with no Anthropic key, and scored: the expected
// kind of outcome (fix / approval / escalate) and the root-cause accuracy over the key facts of expected.json.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseIncident } from '../../../backend/src/diagnose/index.js';
import { incidentFromAlert } from '../../../backend/src/cli/read-alert-file.js';
import { argvFor, assessCommand, DEFAULT_PROTECTED_NAMESPACES } from '../../../backend/src/risk/index.js';
import { parseExpectation, scoreRootCause, summariseRootCauseAccuracy, type RootCauseScore } from '../../../chaos/harness/root-cause-accuracy.js';
import { baseDeps, startHarness, type Harness } from '../diagnose/diagnose-harness.js';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../../chaos/scenarios');
const POLICY = { protectedNamespaces: [...DEFAULT_PROTECTED_NAMESPACES], denyList: [] };

/**
 * States today's kube-sim cannot produce (each is covered by a fixture row in test/unit/diagnose/runbook-rule-table):
 * kept explicit so a sim that learns them makes this list shrink, not silently skip more.
 */
const SIM_CANNOT = new Map<string, string>();
/** Fixes whose effect today's sim cannot show (verify.sh would fail for a reason outside the fix). */
const SIM_CANNOT_VERIFY = new Map<string, string>();

const scenarios = readdirSync(ROOT).filter((d) => /^(2\d|3\d|48|5\d)-/.test(d)).sort();
let h: Harness;
const env = (verifyTimeout = 5) => ({ ...process.env, KUBECONFIG: h.sim.kubeconfigPath, KUBECTL_KUBERC: 'false', CHAOS_VERIFY_TIMEOUT: String(verifyTimeout) });
const verify = (dir: string, timeout: number) => run('bash', [join(dir, 'verify.sh')], { env: env(timeout), timeout: (timeout + 30) * 1000 }).then(() => true, () => false);
const scores: RootCauseScore[] = [];

beforeAll(async () => {
  h = await startHarness({ withoutControllers: false, nodes: 3, speed: 20 });
});
afterAll(async () => {
  const summary = summariseRootCauseAccuracy(scores);
  console.log(`root-cause accuracy over ${summary.scored} scenario(s): ${summary.percent ?? '-'}%${summary.misses.length ? ` (missed: ${JSON.stringify(summary.misses)})` : ''}`);
  await h?.stop();
});

describe('runbook chaos scenarios on kube-sim', () => {
  it.each(scenarios.filter((s) => !SIM_CANNOT.has(s)))('%s', async (scenario) => {
    const dir = join(ROOT, scenario);
    const expected = parseExpectation(scenario, JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')));
    await run('bash', [join(dir, 'setup.sh')], { env: env(), timeout: 180_000 });
    try {
      const incident = incidentFromAlert(JSON.parse(readFileSync(join(dir, 'alert.json'), 'utf8')), scenario);
      const p = await diagnoseIncident(incident, baseDeps(h.reader));
      const score = scoreRootCause(scenario, expected, p.rootCause);
      scores.push(score);
      expect(score.missing, `${scenario} rootCause: ${p.rootCause}`).toEqual([]);
      if (expected.expect === 'escalate') {
        expect(p.actions, p.rootCause).toEqual([]);
        // verify.sh is an independent check: the workload is still broken, so it must say so.
        expect(await verify(dir, 3)).toBe(false);
      } else {
        expect(p.actions.length, p.escalate.reason).toBeGreaterThan(0);
        for (const action of p.actions) {
          const level = assessCommand(action.command, POLICY).level;
          const yoloBar = level === 'high' ? 0.9 : 0.8;
          if (expected.expect === 'fix') expect(action.confidence, action.command).toBeGreaterThanOrEqual(yoloBar);
          else expect(action.confidence, action.command).toBeLessThan(yoloBar);
        }
        if (!SIM_CANNOT_VERIFY.has(scenario)) {
          // Approved (or YOLO): the exact commands run in order as the executor runs them, and the scenario's own check passes.
          for (const action of p.actions) await run('kubectl', argvFor(assessCommand(action.command, POLICY)), { env: env(), timeout: 60_000 });
          expect(await verify(dir, 60)).toBe(true);
        }
      }
    } finally {
      await run('bash', [join(dir, 'cleanup.sh')], { env: env(), timeout: 120_000 }).catch(() => undefined);
    }
  }, 240_000);
});
