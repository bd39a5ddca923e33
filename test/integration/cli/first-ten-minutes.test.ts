// The README's quick start, as a new user runs it, through the real binary: start the daemon on the simulator (yolo,
// the write gate open), break a seeded demo workload with kubectl, page the agent with `oncall-agent page`, and see a
// verified fix. Also what that user sees along the way: the policy line at start, progress during verification,
// `status` showing the daemon's own settings (not the CLI's environment), and the published settings withdrawn at stop.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';
import { spawnAgent, type ServeProcess } from '../../helpers/spawn-serve.js';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'oncall-agent.js');
let cwd: string;
let agent: ServeProcess;
const msg = (line: Record<string, unknown>) => String(line.msg ?? '');

/** The CLI as the user runs it next to the daemon: same directory, so the same STATE_DIR and .env. */
const cli = (args: string[], env: Record<string, string> = {}) =>
  execa(process.execPath, [bin, ...args], { cwd, reject: false, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, extendEnv: false });

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'oncall-first-ten-'));
  // README: EXECUTION_MODE=yolo ALLOW_MEDIUM_AND_HIGH_RISK_WRITES=true npx oncall-agent serve --sim
  agent = spawnAgent(['serve', '--sim'], { EXECUTION_MODE: 'yolo', ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'true', PORT: '0', LOG_LEVEL: 'info' }, cwd);
  await agent.waitForLine((l) => msg(l).startsWith('listening on'), 'the daemon listening', 60_000);
}, 90_000);

afterAll(async () => {
  if (agent && agent.child.exitCode === null) agent.child.kill('SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
});

describe('the first ten minutes', () => {
  it('pages a broken demo workload and gets a verified fix in yolo mode', async () => {
    const secretLine = agent.lines.find((l) => /generated secret: sim-/.test(msg(l)));
    expect(secretLine, 'serve --sim prints the secret it generated').toBeDefined();
    expect(readFileSync(join(cwd, '.oncall-agent', 'sim-webhook-secret'), 'utf8').trim()).toBe(/generated secret: (\S+)/.exec(msg(secretLine!))![1]);
    const policy = agent.lines.find((l) => msg(l).startsWith('policy: '));
    expect(msg(policy!)).toMatch(/^policy: yolo: will execute low and medium risk commands at confidence ≥ 0\.8/);
    expect(agent.lines.some((l) => /cannot execute any runbook fix/.test(msg(l)))).toBe(false);
    await agent.waitForLine((l) => /^try it: kubectl --kubeconfig .* -n demo set image deployment\/web web=nginx:does-not-exist, then `oncall-agent page --deployment web`$/.test(msg(l)), 'the try-it hint', 10_000);

    // The README's kubeconfig path, the same for `sim` and `serve --sim`.
    const kubectl = kubectlFor(join(cwd, '.oncall-agent', 'kube-sim', 'kubeconfig'));
    await eventually(async () => /\b2\/2\b/.test(await kubectl.ok(['-n', 'demo', 'get', 'deployment', 'web'])), 60_000, 500);
    await kubectl.ok(['-n', 'demo', 'set', 'image', 'deployment/web', 'web=nginx:does-not-exist']);
    await eventually(async () => /ImagePullBackOff|ErrImagePull/.test(await kubectl.ok(['-n', 'demo', 'get', 'pods'])), 60_000, 500);

    const paged = await cli(['page', '--deployment', 'web']);
    expect(paged.stderr).toBe('');
    expect(paged.exitCode).toBe(0);
    expect(paged.stdout).toMatch(/^202 Accepted from http:\/\/127\.0\.0\.1:\d+\/webhooks\/pagerduty: \{"status":"accepted"/);
    const incidentId = /incident (Q[0-9A-Z]+)/.exec(paged.stdout)![1];

    const verified = await agent.waitForLine((l) => l.incidentId === incidentId && msg(l).startsWith('verification '), 'the verification verdict', 150_000);
    expect(msg(verified)).toMatch(/^verification verified: /);
    expect(verified.command ?? msg(verified)).toBeDefined();
    const decision = agent.lines.find((l) => l.incidentId === incidentId && l.decision);
    expect(decision).toMatchObject({ command: 'kubectl rollout undo deployment/web -n demo', decision: 'execute', mode: 'yolo' });
    // The 30 s crash-loop window said how far along it was.
    expect(agent.lines.some((l) => l.incidentId === incidentId && /^verifying: noCrashLoop: \d+ s of 30 s, \d+\/\d+ ready, \d+ restarts?$/.test(msg(l)))).toBe(true);
    expect(await kubectl.ok(['-n', 'demo', 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.27');

    // The run ends with one outcome record, fixed, and `audit --incident` (the README's "watch") ends with it.
    const outcome = await eventually(() => {
      const lines = readFileSync(join(cwd, '.oncall-agent', 'audit.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      return lines.find((e) => e.type === 'incident.outcome' && e.incidentId === incidentId);
    }, 30_000, 250);
    expect(outcome.data).toMatchObject({ outcome: 'fixed', analyzer: 'runbook', target: { namespace: 'demo', name: 'web' } });
    const watched = await cli(['audit', '--incident', incidentId]);
    expect(watched.exitCode).toBe(0);
    expect(watched.stdout.trim().split('\n').at(-1)).toMatch(new RegExp(`^OUTCOME ${incidentId}: FIXED`));

    // A second page is a new incident (fresh ids), not a dropped redelivery.
    const again = await cli(['page', '--deployment', 'api', '--summary', 'api latency']);
    expect(again.exitCode).toBe(0);
    expect(/incident (Q[0-9A-Z]+)/.exec(again.stdout)![1]).not.toBe(incidentId);
  }, 240_000);

  it("status shows the running daemon's policy, not the CLI's own environment", async () => {
    const status = await cli(['status'], { EXECUTION_MODE: 'plan' });
    expect(status.stdout).toMatch(new RegExp(`Running agent: pid ${agent.child.pid} on .*, role all, .*on the simulated cluster`));
    expect(status.stdout).toMatch(/ {2}Policy: yolo: will execute low and medium risk commands at confidence ≥ 0\.8/);
    const json = JSON.parse((await cli(['status', '--json'], { EXECUTION_MODE: 'plan' })).stdout);
    expect(json.agents[0].settings).toMatchObject({ EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: true });
  }, 60_000);

  it('on SIGTERM the daemon withdraws what it published; status then says no agent runs', async () => {
    agent.child.kill('SIGTERM');
    expect((await agent.exited).code).toBe(0);
    expect(existsSync(join(cwd, '.oncall-agent', 'agent.json'))).toBe(false);
    expect((await cli(['status'])).stdout).toMatch(/^Running agent: none found in \.oncall-agent\/agent\.json/m);
  }, 60_000);
});
