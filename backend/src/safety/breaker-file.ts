// The in-process store's breakers on disk (STATE_DIR/breakers.json): without Redis, an agent that restarts (a crash
// loop, a redeploy) must not come back with every breaker closed. Read once at start; written on every change.

import { mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BreakerState } from './safety-store.js';

const STATES = ['closed', 'open', 'half-open'];

/** The stored breakers; [] when there is no file; a message (fail closed) when it cannot be read or is corrupt. */
export function readBreakerFile(path: string): BreakerState[] | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    return `breaker file ${path} unreadable (${(error as Error).message}): every breaker counts as open until it is fixed or removed`;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) throw new Error('not a list');
    return parsed.map((s: Partial<BreakerState>) => {
      if (!s || typeof s.scope !== 'string' || !STATES.includes(s.state ?? '') || typeof s.consecutiveFailures !== 'number') throw new Error('a breaker entry is malformed');
      return s as BreakerState;
    });
  } catch (error) {
    return `breaker file ${path} is corrupt (${(error as Error).message}): every breaker counts as open until it is fixed or removed`;
  }
}

/** Writes every breaker atomically (temp file + rename), so a reader never sees half a file. */
export async function writeBreakerFile(path: string, states: readonly BreakerState[]): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temp, `${JSON.stringify(states)}\n`, { mode: 0o600 });
  await rename(temp, path);
}
