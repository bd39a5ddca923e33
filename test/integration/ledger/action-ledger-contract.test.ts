// One contract for both action ledgers: the Redis one (shared by workers) and the STATE_DIR file one (no Redis).
// Claims are exclusive, stages are recorded in place, the breaker count and the re-run are claimed once, an
// incident's entries list in action order, entries expire, and a restarted process reads what an earlier one wrote.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionLedger, LedgerIntent } from '../../../backend/src/ledger/action-ledger.js';
import { ledgerKeyOf, redactSnapshotForLedger } from '../../../backend/src/ledger/action-ledger.js';
import { FileActionLedger } from '../../../backend/src/ledger/file-action-ledger.js';
import { RedisActionLedger } from '../../../backend/src/ledger/redis-action-ledger.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.close();
});

const intent = (incidentId: string, index: number, command = `kubectl scale deployment/web -n shop --replicas=${index + 2}`): LedgerIntent => ({
  incidentId,
  index,
  planHash: 'abc',
  command,
  argv: command.split(' ').slice(1),
  owner: 'worker-1:' + incidentId,
  lockKeys: ['target:sim/deployments/shop/web'],
  snapshots: [{ target: { resource: 'deployments', name: 'web', namespace: 'shop', ref: { kind: 'Deployment', name: 'web', namespace: 'shop' } }, object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 3 } }, takenAt: 1 }],
  at: 1_000 + index,
});

const adapters: Array<[string, () => { ledger: ActionLedger; reopen: () => ActionLedger }]> = [
  [
    'redis',
    () => {
      const prefix = `t${Math.random().toString(36).slice(2)}:`;
      const open = () => new RedisActionLedger(createRedis(redis.url, 'command'), { prefix, ownsClient: true });
      return { ledger: open(), reopen: open };
    },
  ],
  [
    'file',
    () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger');
      return { ledger: new FileActionLedger(dir), reopen: () => new FileActionLedger(dir) };
    },
  ],
];

describe.each(adapters)('the %s action ledger', (_name, make) => {
  it('claims an intent once; a second claim (a retry, another worker) finds the first', async () => {
    const { ledger, reopen } = make();
    const key = ledgerKeyOf('INC-1', 0, intent('INC-1', 0).command);
    expect(await ledger.claimIntent(key, intent('INC-1', 0), 60_000)).toBe(true);
    const other = reopen();
    expect(await other.claimIntent(key, { ...intent('INC-1', 0), owner: 'worker-2:INC-1' }, 60_000)).toBe(false);
    expect((await other.read(key))?.intent.owner).toBe('worker-1:INC-1');
    await Promise.all([ledger.close(), other.close()]);
  });

  it('records result, verdict and rollback, and claims the breaker count and the re-run once each', async () => {
    const { ledger, reopen } = make();
    const key = ledgerKeyOf('INC-2', 0, intent('INC-2', 0).command);
    await ledger.claimIntent(key, intent('INC-2', 0), 60_000);
    await ledger.record(key, 'result', { exitCode: 0, durationMs: 12, at: 2 });
    await ledger.record(key, 'verdict', { status: 'failed', detail: 'rollout stuck', at: 3 });
    await ledger.record(key, 'rollback', { attempted: true, restored: true, detail: 'undone', at: 4 });
    expect(await ledger.claimBreakerCount(key)).toBe(true);
    expect(await ledger.claimBreakerCount(key)).toBe(false);
    expect(await ledger.claimRerun(key, { owner: 'w2', why: 'not landed', at: 5 })).toBe(true);
    expect(await ledger.claimRerun(key, { owner: 'w3', why: 'not landed', at: 6 })).toBe(false);
    // A restarted process reads what the earlier one wrote.
    const again = reopen();
    expect(await again.read(key)).toMatchObject({
      key,
      intent: { incidentId: 'INC-2', index: 0, planHash: 'abc', argv: ['scale', 'deployment/web', '-n', 'shop', '--replicas=2'] },
      result: { exitCode: 0 },
      verdict: { status: 'failed' },
      rollback: { restored: true },
      rerun: { owner: 'w2' },
      breakerCounted: true,
    });
    await Promise.all([ledger.close(), again.close()]);
  });

  it("lists one incident's entries in action order, and no other incident's", async () => {
    const { ledger } = make();
    for (const i of [2, 0, 1]) await ledger.claimIntent(ledgerKeyOf('INC-3', i, intent('INC-3', i).command), intent('INC-3', i), 60_000);
    await ledger.claimIntent(ledgerKeyOf('INC-30', 0, intent('INC-30', 0).command), intent('INC-30', 0), 60_000);
    expect((await ledger.listIncident('INC-3')).map((e) => e.intent.index)).toEqual([0, 1, 2]);
    expect(await ledger.listIncident('NONE')).toEqual([]);
    await ledger.close();
  });

  it('forgets an entry once its TTL has passed', async () => {
    const { ledger } = make();
    const key = ledgerKeyOf('INC-4', 0, intent('INC-4', 0).command);
    await ledger.claimIntent(key, intent('INC-4', 0), 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await ledger.read(key)).toBeUndefined();
    expect(await ledger.claimIntent(key, intent('INC-4', 0), 60_000)).toBe(true);
    await ledger.close();
  });
});

describe('what the ledger keeps of a snapshot', () => {
  it('drops Secret data and managedFields, keeps what rollback restores', () => {
    const target = { resource: 'secrets', name: 'db', namespace: 'shop', ref: { kind: 'Secret', name: 'db', namespace: 'shop' } };
    const kept = redactSnapshotForLedger({ target, object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', managedFields: [{}] } as never, data: { password: 'aHVudGVyMg==' }, stringData: { token: 't' } } as never, takenAt: 1 });
    expect(JSON.stringify(kept)).not.toMatch(/aHVudGVyMg|token|managedFields/);
    const deployment = redactSnapshotForLedger({ target: { ...target, resource: 'deployments' }, object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } }, takenAt: 1 });
    expect(deployment.object?.spec).toEqual({ replicas: 3 });
  });
});
