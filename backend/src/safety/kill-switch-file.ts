// Without Redis every process has its own in-process SafetyStore, so `oncall-agent pause` in one process could not
// reach a running daemon. The in-process store therefore keeps the kill switch (and only that) in a small JSON file
// under STATE_DIR, read on every check: the CLI and the daemon on one machine share it.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KillSwitchState } from './safety-store.js';

/** Reads the switch; a missing file means not paused, an unreadable one fails closed (paused). */
export async function readKillSwitchFile(path: string): Promise<KillSwitchState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { paused: false };
    return { paused: true, reason: `kill switch file ${path} unreadable: ${(error as Error).message}` };
  }
  try {
    const parsed = JSON.parse(text) as Partial<KillSwitchState>;
    if (typeof parsed.paused !== 'boolean') throw new Error('no "paused" boolean');
    return {
      paused: parsed.paused,
      by: typeof parsed.by === 'string' ? parsed.by : undefined,
      reason: typeof parsed.reason === 'string' ? parsed.reason : undefined,
      since: typeof parsed.since === 'number' ? parsed.since : undefined,
    };
  } catch (error) {
    return { paused: true, reason: `kill switch file ${path} is corrupt (${(error as Error).message}); failing closed` };
  }
}

/** Writes the switch atomically (temp file + rename), so a reader never sees half a file. */
export async function writeKillSwitchFile(path: string, state: KillSwitchState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  await rename(temp, path);
}
