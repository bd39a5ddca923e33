// Operating errors through the real binary: one line (and a hint), a non-zero exit, never a stack trace; a reader
// that stops early (`| head`) is the end of the output, not a crash.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/free-port.js';

const root = join(import.meta.dirname, '..', '..', '..');
const bin = join(root, 'bin', 'oncall-agent.js');
const fixtures = join(root, 'test', 'fixtures', 'pagerduty');
let cwd: string;

const run = (args: string[], env: Record<string, string> = {}) =>
  execa(process.execPath, [bin, ...args], { cwd, reject: false, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, extendEnv: false });

const STACK = /^\s+at /m;

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'oncall-op-errors-'));
  // A kubeconfig whose server nothing listens on.
  mkdirSync(join(cwd, 'kube'));
  writeFileSync(
    join(cwd, 'kube', 'dead'),
    ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: dead', '  cluster:', '    server: https://127.0.0.1:6553', '    insecure-skip-tls-verify: true', 'contexts:', '- name: dead', '  context:', '    cluster: dead', '    user: u', 'current-context: dead', 'users:', '- name: u', '  user:', '    token: t', ''].join('\n'),
  );
  // Enough audit records that the output outlasts any pipe buffer.
  const lines = Array.from({ length: 4_000 }, (_, i) => JSON.stringify({ ts: new Date(1_800_000_000_000 + i).toISOString(), type: 'execution', actor: 'agent', incidentId: `P${i}`, data: { command: 'kubectl rollout undo deployment/web -n shop', exitCode: 0 } }));
  mkdirSync(join(cwd, '.oncall-agent'));
  writeFileSync(join(cwd, '.oncall-agent', 'audit.jsonl'), `${lines.join('\n')}\n`);
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Runs the CLI with its stdout closed by the reader before it writes: what `| head -n 0` does. */
async function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, stderr };
}

describe('piping into head', () => {
  it.each(['audit', 'status', 'audit --json', 'status --json'])('`%s | head` ends quietly, exit 0', async (command) => {
    const result = await withClosedStdout(command.split(' '));
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
    expect(result.code).toBe(0);
  }, 60_000);
});

describe('one line and a hint', () => {
  it('audit with Redis down', async () => {
    const result = await run(['audit'], { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^oncall-agent: audit trail \(redis stream oncall:audit\) cannot be read: .+\nhint: check that Redis at REDIS_URL is up/);
    expect(result.stderr).not.toMatch(STACK);
  }, 60_000);

  it('plan against an unreachable cluster names the cause and the kubeconfig, and exits non-zero', async () => {
    const kubeconfig = join(cwd, 'kube', 'dead');
    const result = await run(['plan', '--alert', join(fixtures, 'incident.triggered.json')], { KUBECONFIG: kubeconfig });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`connect ECONNREFUSED 127.0.0.1:6553 (KUBECONFIG=${kubeconfig})`);
    expect(result.stderr).not.toMatch(STACK);
    expect(result.stdout).toBe('');
  }, 60_000);

  it('plan with no kubeconfig at all says so as serve does, not as a TLS error', async () => {
    const result = await run(['plan', '--alert', join(fixtures, 'incident.triggered.json')]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^oncall-agent: no cluster configured: KUBECONFIG is unset, ~\/\.kube\/config does not exist and this is not a pod/);
    expect(result.stderr).not.toMatch(/TLS|certificate|ssl/i);
  }, 60_000);

  it.each([
    ['pagey.ping', /is a PagerDuty V3 pagey\.ping event: the daemon starts no triage for it/],
    ['incident.resolved', /is a PagerDuty V3 incident\.resolved event: the daemon starts no triage for it/],
  ])('plan on a %s delivery says it triggers no triage', async (type, expected) => {
    const result = await run(['plan', '--alert', join(fixtures, `${type}.json`)], { KUBECONFIG: join(cwd, 'kube', 'dead') });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/neither a PagerDuty V3 webhook body/);
  }, 60_000);

  it('page with no daemon listening', async () => {
    const port = await freePort();
    const result = await run(['page', '--deployment', 'web', '--secret', 's', '--url', `http://127.0.0.1:${port}/webhooks/pagerduty`]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^oncall-agent: no answer from http://127\\.0\\.0\\.1:${port}/webhooks/pagerduty \\(ECONNREFUSED.*\\)\\nhint: is the daemon running\\?`));
    expect(result.stderr).not.toMatch(STACK);
  }, 60_000);

  it('page with no secret anywhere names the three ways to get one', async () => {
    const result = await run(['page', '--deployment', 'web']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^oncall-agent: no signing secret: pass --secret, set PAGERDUTY_WEBHOOK_SECRETS, or start the daemon with `serve --sim`/);
  }, 60_000);
});

describe('no cluster configured is never a TLS message', () => {
  it('risk --cluster', async () => {
    const result = await run(['risk', '--cluster', '--', 'kubectl', 'scale', 'deployment/web', '--replicas=3', '-n', 'shop']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^oncall-agent: no cluster configured: KUBECONFIG is unset, ~\/\.kube\/config does not exist and this is not a pod/);
    expect(result.stdout + result.stderr).not.toMatch(/skipTLSVerify|TLS/);
  }, 60_000);
});
