import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySafetyStore } from '../../../backend/src/safety/memory-safety-store.js';
import { describeSafetyStoreContract } from './safety-store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'oncall-safety-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeSafetyStoreContract('in-process', { create: async () => new MemorySafetyStore({ killSwitchFile: join(dir, `ks-${n++}.json`) }) });
describeSafetyStoreContract('in-process with a breaker file', {
  create: async () => new MemorySafetyStore({ killSwitchFile: join(dir, `ks-${n++}.json`), breakerFile: join(dir, `breakers-${n++}.json`) }),
});

describe('in-process kill switch file', () => {
  it('is shared by two store instances (the CLI and the daemon)', async () => {
    const file = join(dir, 'shared', 'kill-switch.json');
    const daemon = new MemorySafetyStore({ killSwitchFile: file });
    const cli = new MemorySafetyStore({ killSwitchFile: file });
    await cli.setKillSwitch({ paused: true, by: 'alice', since: 1 });
    expect(await daemon.getKillSwitch()).toMatchObject({ paused: true, by: 'alice' });
  });

  it('fails closed when the file is corrupt', async () => {
    const file = join(dir, 'corrupt.json');
    writeFileSync(file, '{not json');
    expect((await new MemorySafetyStore({ killSwitchFile: file }).getKillSwitch()).paused).toBe(true);
  });
});

describe('in-process breaker file (no Redis)', () => {
  const policy = { failureThreshold: 5, openMs: 300_000, halfOpenSuccesses: 2 };
  const T0 = 1_700_000_000_000;

  it('an open breaker stays open across a restart of the agent; its open period runs on from when it opened', async () => {
    const file = join(dir, 'restart', 'breakers.json');
    const before = new MemorySafetyStore({ breakerFile: file });
    for (let i = 0; i < 5; i += 1) await before.recordBreakerOutcome('cluster:prod', false, policy, T0 + i);
    const after = new MemorySafetyStore({ breakerFile: file }); // the restarted process
    expect((await after.getBreaker('cluster:prod', policy, T0 + 10)).state).toBe('open');
    expect((await after.acquireBreakerPermit('cluster:prod', policy, T0 + 10)).allowed).toBe(false);
    expect(await after.listBreakers(policy, T0 + 10)).toEqual([expect.objectContaining({ scope: 'cluster:prod', state: 'open' })]);
    // Half-open after the open period, one trial; the taken trial slot survives another restart too.
    expect((await after.acquireBreakerPermit('cluster:prod', policy, T0 + 4 + policy.openMs)).allowed).toBe(true);
    const again = new MemorySafetyStore({ breakerFile: file });
    expect((await again.acquireBreakerPermit('cluster:prod', policy, T0 + 5 + policy.openMs)).allowed).toBe(false);
  });

  it('fails closed on a corrupt file: every breaker read throws (callers count that as open)', async () => {
    const file = join(dir, 'corrupt-breakers.json');
    writeFileSync(file, '[{"scope": 1}]');
    const store = new MemorySafetyStore({ breakerFile: file });
    await expect(store.getBreaker('cluster:prod', policy, T0)).rejects.toThrow(/corrupt.*counts as open/);
    await expect(store.acquireBreakerPermit('cluster:prod', policy, T0)).rejects.toThrow(/corrupt/);
  });
});
