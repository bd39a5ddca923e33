// Shared breaker: two real worker processes on one Redis share the same breaker.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./fixtures/record-breaker-failures.ts', import.meta.url));

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.close();
});

interface WorkerOutput {
  transitions: Array<{ from: string; to: string }>;
  final: { state: string; consecutiveFailures: number };
  allowed: boolean;
}

async function worker(prefix: string, failures: number): Promise<WorkerOutput> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, redis.url, prefix, 'cluster:prod', String(failures)], { timeout: 60_000 });
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, never>);
  const last = lines.at(-1) as unknown as { final: WorkerOutput['final']; allowed: boolean };
  return { transitions: lines.filter((l) => 'transition' in l).map((l) => l.transition), final: last.final, allowed: last.allowed };
}

describe('Shared breaker: two worker processes on one Redis share the same breaker', () => {
  it('the second process sees the breaker open after 5 combined failures', async () => {
    const prefix = `shared-${randomUUID()}:`;
    const first = await worker(prefix, 3);
    expect(first.final).toMatchObject({ state: 'closed', consecutiveFailures: 3 });
    expect(first.allowed).toBe(true);

    const second = await worker(prefix, 2);
    expect(second.transitions).toEqual([expect.objectContaining({ from: 'closed', to: 'open' })]);
    expect(second.final.state).toBe('open');
    expect(second.allowed).toBe(false);
  });

  it('two processes failing at the same time open it exactly once', async () => {
    const prefix = `shared-${randomUUID()}:`;
    const [a, b] = await Promise.all([worker(prefix, 3), worker(prefix, 3)]);
    const opened = [...a.transitions, ...b.transitions].filter((t) => t.to === 'open');
    expect(opened).toHaveLength(1);
    // No failure is lost to a race: 6 recorded in total (the 6th arrives while open).
    const finals = [a.final, b.final].map((f) => f.consecutiveFailures);
    expect(Math.max(...finals)).toBe(6);
  });
});
