// With Redis, every daemon publishes its effective policy there (with a TTL) and `status` from any machine shows it;
// the CLI's own environment never stands in for the daemon's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { spawnAgent, type ServeProcess } from '../../helpers/spawn-serve.js';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'oncall-agent.js');
let redis: TestRedis;
let daemonDir: string;
let cliDir: string;
let agent: ServeProcess;

beforeAll(async () => {
  redis = await startTestRedis();
  daemonDir = mkdtempSync(join(tmpdir(), 'oncall-status-daemon-'));
  cliDir = mkdtempSync(join(tmpdir(), 'oncall-status-cli-'));
  agent = spawnAgent(['serve'], { REDIS_URL: redis.url, PORT: '0', EXECUTION_MODE: 'approval', MODE_OVERRIDES: 'namespace:dev=yolo', LOG_LEVEL: 'info', PAGERDUTY_WEBHOOK_SECRETS: 's' }, daemonDir);
  await agent.waitForLine((l) => String(l.msg).startsWith('listening on'), 'the daemon listening', 60_000);
}, 90_000);
afterAll(async () => {
  if (agent?.child.exitCode === null) agent.child.kill('SIGKILL');
  await redis?.stop();
  for (const d of [daemonDir, cliDir]) if (d) rmSync(d, { recursive: true, force: true });
});

const status = (args: string[] = []) =>
  execa(process.execPath, [bin, 'status', ...args], { cwd: cliDir, reject: false, extendEnv: false, env: { PATH: process.env.PATH ?? '', HOME: cliDir, REDIS_URL: redis.url, EXECUTION_MODE: 'yolo' } });

describe('status with Redis', () => {
  it("shows the daemon's published policy from another directory, and its warning", async () => {
    const result = await status();
    expect(result.stdout).toMatch(new RegExp(`Running agent: pid ${agent.child.pid} on .*, role all`));
    expect(result.stdout).toMatch(/Policy: approval: asks a human before low risk writes and refuses medium and high risk ones .*overrides: namespace:dev=yolo/);
    expect(result.stdout).toMatch(/Warning: EXECUTION_MODE=yolo cannot execute any runbook fix.*ALLOW_MEDIUM_AND_HIGH_RISK_WRITES=true/);
    // The start-up log said the same, once.
    expect(agent.lines.filter((l) => /cannot execute any runbook fix/.test(String(l.msg)))).toHaveLength(1);
  }, 60_000);

  it('after the daemon stops, no agent is shown', async () => {
    agent.child.kill('SIGTERM');
    await agent.exited;
    const json = JSON.parse((await status(['--json'])).stdout);
    expect(json.agents).toEqual([]);
  }, 60_000);

  it('a decision waiting for a worker says it is still waiting, then times out with one line and a hint', async () => {
    // No daemon runs any more: nobody takes the job.
    const result = await execa(process.execPath, [bin, 'deny', 'ap-nobody', '--by', 'alice', '--timeout', '17'], {
      cwd: cliDir,
      reject: false,
      extendEnv: false,
      env: { PATH: process.env.PATH ?? '', HOME: cliDir, REDIS_URL: redis.url },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^oncall-agent: waiting for a worker to carry out the deny \(job [^)]+\): 15 s of at most 17 s$/m);
    expect(result.stderr).toMatch(/^oncall-agent: no worker finished the decision on ap-nobody within 17 s/m);
  }, 60_000);
});
