// `npx oncall-agent serve`: stopping the process the user started (SIGTERM to npx, as a supervisor or `kill` does)
// stops the daemon too, which otherwise lives on under the shell npm starts, holding its port. And outside --sim no
// signing secret is ever invented.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/kubectl.js';
import { spawnAgent } from '../../helpers/spawn-serve.js';

const root = join(import.meta.dirname, '..', '..', '..');
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncall-npx-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npx oncall-agent serve', () => {
  it('SIGTERM to the npx process stops the daemon', async () => {
    const state = tempDir();
    const npx = spawn('npx', ['--no-install', 'oncall-agent', 'serve'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? state, STATE_DIR: state, AUDIT_JSONL_PATH: join(state, 'audit.jsonl'), PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npx.stdout.on('data', (c: Buffer) => (out += c.toString()));
    npx.stderr.on('data', (c: Buffer) => (out += c.toString()));
    let daemon = 0;
    try {
      daemon = await eventually(() => {
        if (!existsSync(join(state, 'agent.json'))) return undefined;
        return (JSON.parse(readFileSync(join(state, 'agent.json'), 'utf8')) as { pid: number }).pid;
      }, 90_000, 200);
      expect(daemon).not.toBe(npx.pid);
      npx.kill('SIGTERM');
      await eventually(() => !alive(daemon), 30_000, 200);
      expect(out).toMatch(/shutdown complete/);
    } finally {
      if (daemon && alive(daemon)) process.kill(daemon, 'SIGKILL');
      if (npx.exitCode === null) npx.kill('SIGKILL');
    }
  }, 150_000);

  it('without --sim and without PAGERDUTY_WEBHOOK_SECRETS no secret is generated: deliveries are refused', async () => {
    const cwd = tempDir();
    const agent = spawnAgent(['serve'], { PORT: '0', LOG_LEVEL: 'info' }, cwd);
    try {
      await agent.waitForLine((l) => String(l.msg).startsWith('listening on'), 'the daemon listening', 60_000);
      expect(agent.lines.some((l) => /PAGERDUTY_WEBHOOK_SECRETS is not set: every webhook delivery will be answered 401/.test(String(l.msg)))).toBe(true);
      expect(agent.lines.some((l) => /generated secret/.test(String(l.msg)))).toBe(false);
      expect(existsSync(join(cwd, '.oncall-agent', 'sim-webhook-secret'))).toBe(false);
    } finally {
      agent.child.kill('SIGTERM');
      await agent.exited;
    }
  }, 90_000);
});
