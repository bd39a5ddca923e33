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
