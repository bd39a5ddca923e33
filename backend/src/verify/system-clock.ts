import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../domain/ports.js';

/** The real clock. sleep rejects with the signal's reason when aborted. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, { signal });
  },
};
