// The safety commands through the real binary (bin/oncall-agent.js), against a private Redis and, without
// REDIS_URL, against the in-process store's kill-switch file in a temporary STATE_DIR.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStreamAuditSink } from '../../../backend/src/audit/redis-stream-sink.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { createPendingApproval } from '../../../backend/src/safety/approvals.js';
import { MemorySafetyStore } from '../../../backend/src/safety/memory-safety-store.js';
import { RedisSafetyStore } from '../../../backend/src/safety/redis-safety-store.js';
import { freePort } from '../../helpers/free-port.js';
import { spawnAgent, type ServeProcess } from '../../helpers/spawn-serve.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';

const bin = fileURLToPath(new URL('../../../bin/oncall-agent.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'oncall-cli-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: dir, timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: dir, USER: 'tester', LOG_LEVEL: 'silent', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('safety CLI with Redis', () => {
  let redis: TestRedis;
  let store: RedisSafetyStore;
  let env: Record<string, string>;
  let worker: ServeProcess;
  const prefix = `cli-${randomUUID().slice(0, 8)}:`;
  const policy = { failureThreshold: 5, openMs: 300_000, halfOpenSuccesses: 2 };

  beforeAll(async () => {
    redis = await startTestRedis();
    env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, STATE_DIR: join(dir, 'redis-state'), AUDIT_JSONL_PATH: join(dir, 'redis-audit.jsonl'), CLUSTER_NAME: 'prod' };
    store = new RedisSafetyStore(createRedis(redis.url, 'command'), { prefix, ownsClient: true });
    // approve and deny hand the decision to the agent's worker: a real one, on the same Redis.
    worker = spawnAgent(['serve', '--role', 'worker'], { ...env, PORT: '0', LOG_LEVEL: 'info' }, dir);
    await worker.waitForLine((l) => String(l.msg ?? '').startsWith('worker started'), 'the worker to start', 60_000);
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await store?.close();
    await redis?.close();
  });

  it('pause, status, approve (refusing a changed plan), deny, audit and resume all act on the shared store', async () => {
    // What a running agent would have left behind: an open breaker, executed actions, two pending plans.
    for (let i = 0; i < 5; i += 1) await store.recordBreakerOutcome('cluster:prod', false, policy, Date.now());
    const client = createRedis(redis.url, 'command');
    const stream = new RedisStreamAuditSink(client, `${prefix}audit`, 1000);
    for (let i = 0; i < 12; i += 1) {
      await stream.write({ ts: new Date().toISOString(), type: 'execution', incidentId: 'INC1', actor: 'agent', data: { command: `kubectl rollout restart deployment/web-${i} -n shop`, exitCode: 0 } });
    }
    const audit = new RedisStreamAuditSink(client, `${prefix}audit`, 1000);
    const deps = { store, audit, now: Date.now };
    const undo = 'kubectl rollout undo deployment/web -n shop';
    const payload = { incidentId: 'INC1', actions: [{ index: 0, action: { command: undo, description: 'undo', confidence: 0.9, expectedEffect: 'back', postconditions: [] } }] };
    const first = await createPendingApproval(deps, { incidentId: 'INC1', commands: [undo], ttlMs: 3_600_000, payload });
    const second = await createPendingApproval(deps, { incidentId: 'INC2', commands: ['kubectl scale deployment/api --replicas=4 -n shop'], ttlMs: 3_600_000 });

    const paused = await cli(['pause', '--reason', 'bad deploy', '--by', 'alice'], env);
    expect(paused.code).toBe(0);
    expect(await store.getKillSwitch()).toMatchObject({ paused: true, by: 'alice', reason: 'bad deploy' });

    const status = await cli(['status', '--json'], env);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as {
      killSwitch: { paused: boolean };
      breakers: Array<{ scope: string; state: string }>;
      pendingApprovals: Array<{ id: string }>;
      recentActions: Array<{ data: { command: string } }>;
    };
    expect(parsed.killSwitch.paused).toBe(true);
    expect(parsed.breakers).toContainEqual(expect.objectContaining({ scope: 'cluster:prod', state: 'open' }));
    expect(parsed.pendingApprovals.map((a) => a.id).sort()).toEqual([first.id, second.id].sort());
    expect(parsed.recentActions).toHaveLength(10);
    expect(parsed.recentActions.at(-1)?.data.command).toContain('web-11');

    const text = await cli(['status'], env);
    expect(text.stdout).toMatch(/Kill switch: PAUSED/);
    expect(text.stdout).toMatch(/cluster:prod: OPEN/);

    const changed = await cli(['approve', first.id, '--plan-hash', 'f'.repeat(64), '--by', 'bob'], env);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/plan hash does not match/);
    expect((await store.getApproval(first.id, Date.now()))?.status).toBe('pending');

    const approved = await cli(['approve', first.id, '--plan-hash', first.planHash, '--by', 'bob', '--no-run'], env);
    expect(approved.code).toBe(0);
    expect(await store.getApproval(first.id, Date.now())).toMatchObject({ status: 'approved', decidedBy: 'bob' });
    // Approving it again runs the plan already approved (not a second approval): the pause holds it back, and the
    // approval is kept for after resume.
    const again = await cli(['approve', first.id, '--plan-hash', first.planHash, '--by', 'carol'], env);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/already approved by bob/);
    expect(again.stderr).toMatch(/kill switch is on.*stays approved/);
    expect(await store.getApproval(first.id, Date.now())).toMatchObject({ status: 'approved', decidedBy: 'bob' });

    const denied = await cli(['deny', second.id, '--reason', 'not during the sale', '--by', 'dave'], env);
    expect(denied.code).toBe(0);
    expect(await store.getApproval(second.id, Date.now())).toMatchObject({ status: 'denied', decidedBy: 'dave', reason: 'not during the sale' });

    const trail = await cli(['audit', '--incident', 'INC1', '--since', '1h', '--json'], env);
    expect(trail.code).toBe(0);
    const events = trail.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; actor: string; incidentId: string });
    expect(events.every((e) => e.incidentId === 'INC1')).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval.granted', actor: 'bob' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval.requested' }));
    const readable = await cli(['audit', '--incident', 'INC2'], env);
    expect(readable.stdout).toMatch(/approval\.denied\s+INC2\s+dave/);
    // The held approved-plan run ended with one outcome; the readable trail ends with it, and status lists it.
    expect(events.filter((e) => e.type === 'incident.outcome')).toHaveLength(1);
    const inc1 = await cli(['audit', '--incident', 'INC1'], env);
    expect(inc1.stdout.trim().split('\n').at(-1)).toMatch(/^OUTCOME INC1: REFUSED by policy: .*kill switch is on/);
    const withOutcomes = await cli(['status'], env);
    expect(withOutcomes.stdout).toMatch(/Last 1 outcome:\n.*INC1 +REFUSED by policy/);

    const resumed = await cli(['resume', '--by', 'alice'], env);
    expect(resumed.code).toBe(0);
    expect((await store.getKillSwitch()).paused).toBe(false);
    client.disconnect();
    // Eleven runs of the real binary, two of them waiting on the worker: more than the default minute on a busy machine.
  }, 180_000);

  it('status with Redis unreachable still reports, and says the agent fails closed (exit 1)', async () => {
    const dead = { ...env, REDIS_URL: `redis://127.0.0.1:${await freePort()}` };
    const text = await cli(['status'], dead);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/Kill switch: UNKNOWN, so the agent treats it as PAUSED/);
    expect(text.stdout).toMatch(/UNKNOWN \(the store cannot be read\): the agent treats every breaker as open/);
    expect(text.stderr).toMatch(/status is incomplete/);
    const json = await cli(['status', '--json'], dead);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { killSwitch: { paused: boolean; source: string }; breakers: unknown; unavailable: string[] };
    expect(parsed.killSwitch).toMatchObject({ paused: true, source: 'store-unavailable' });
    expect(parsed.breakers).toBeNull();
    expect(parsed.unavailable.length).toBeGreaterThan(0);
  });

  it('rejects a bad --since with a clear error', async () => {
    const run = await cli(['audit', '--since', 'yesterday'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--since "yesterday" is neither a duration/);
  });
});

describe('safety CLI without Redis (in-process store, kill switch file in STATE_DIR)', () => {
  const stateDir = join(dir, 'state');
  const env = { STATE_DIR: stateDir, AUDIT_JSONL_PATH: join(dir, 'audit', 'audit.jsonl') };

  it('pause and resume reach a daemon on the same machine through STATE_DIR', async () => {
    const daemon = new MemorySafetyStore({ killSwitchFile: join(stateDir, 'kill-switch.json') });
    expect((await daemon.getKillSwitch()).paused).toBe(false);

    expect((await cli(['pause', '--by', 'alice', '--reason', 'investigating'], env)).code).toBe(0);
    expect(existsSync(join(stateDir, 'kill-switch.json'))).toBe(true);
    expect(await daemon.getKillSwitch()).toMatchObject({ paused: true, by: 'alice', reason: 'investigating' });

    const status = await cli(['status'], env);
    expect(status.stdout).toMatch(/Kill switch: PAUSED \(store, by alice: investigating\)/);

    expect((await cli(['resume'], env)).code).toBe(0);
    expect(await daemon.getKillSwitch()).toMatchObject({ paused: false, by: 'tester' });

    const lines = readFileSync(env.AUDIT_JSONL_PATH, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: { paused: boolean } });
    expect(lines.map((l) => [l.type, l.data.paused])).toEqual([
      ['killswitch', true],
      ['killswitch', false],
    ]);
    const trail = await cli(['audit'], env);
    expect(trail.stdout).toMatch(/killswitch\s+-\s+alice\s+paused=true/);
  });

  it('KILL_SWITCH=true in the environment keeps the agent paused after resume', async () => {
    const run = await cli(['resume'], { ...env, KILL_SWITCH: 'true' });
    expect(run.stdout).toMatch(/KILL_SWITCH=true in the environment still pauses/);
    const status = await cli(['status', '--json'], { ...env, KILL_SWITCH: 'true' });
    expect(JSON.parse(status.stdout).killSwitch).toMatchObject({ paused: true, source: 'env' });
    // Without Redis the approvals live inside the running agent: unknown here, never a made-up empty list.
    expect(JSON.parse(status.stdout)).toMatchObject({ sharedStore: false, pendingApprovals: null });
  });

  it('status shows the breaker the agent opened, from STATE_DIR (it survives the agent restarting)', async () => {
    const daemon = new MemorySafetyStore({ breakerFile: join(stateDir, 'breakers.json') });
    const policy = { failureThreshold: 5, openMs: 300_000, halfOpenSuccesses: 2 };
    for (let i = 0; i < 5; i += 1) await daemon.recordBreakerOutcome('cluster:default', false, policy, Date.now());
    const text = await cli(['status'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/cluster:default: OPEN/);
    const json = JSON.parse((await cli(['status', '--json'], env)).stdout) as { breakers: Array<{ scope: string; state: string }> };
    expect(json.breakers).toContainEqual(expect.objectContaining({ scope: 'cluster:default', state: 'open' }));
  });

  it('approve explains that it needs REDIS_URL', async () => {
    const run = await cli(['approve', 'apr-1', '--plan-hash', 'abc'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/approve needs REDIS_URL/);
  });
});
