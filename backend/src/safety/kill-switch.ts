// The global kill switch: when paused, no write runs, in any mode. Effective = the KILL_SWITCH env setting OR the
// stored switch (set by `oncall-agent pause`). A store that cannot be read counts as paused: fail closed.

import type { KillSwitchState, KillSwitchStore } from './safety-store.js';

export interface EffectiveKillSwitch extends KillSwitchState {
  /** Where the pause comes from. */
  source: 'env' | 'store' | 'store-unavailable' | 'none';
}

/** Reads the switch the pipeline must obey. Never throws. */
export async function readEffectiveKillSwitch(store: KillSwitchStore, envPaused: boolean): Promise<EffectiveKillSwitch> {
  if (envPaused) return { paused: true, by: 'env', reason: 'KILL_SWITCH=true in the environment', source: 'env' };
  try {
    const stored = await store.getKillSwitch();
    return { ...stored, source: stored.paused ? 'store' : 'none' };
  } catch (error) {
    return { paused: true, reason: `cannot read the kill switch: ${(error as Error).message}`, source: 'store-unavailable' };
  }
}

/** Sets the stored switch (what `oncall-agent pause` does). */
export async function pauseAgent(store: KillSwitchStore, by: string, reason: string | undefined, now: number): Promise<KillSwitchState> {
  const state: KillSwitchState = { paused: true, by, since: now, ...(reason ? { reason } : {}) };
  await store.setKillSwitch(state);
  return state;
}

/** Clears the stored switch (what `oncall-agent resume` does). The env setting, if set, still pauses. */
export async function resumeAgent(store: KillSwitchStore, by: string, now: number): Promise<KillSwitchState> {
  const state: KillSwitchState = { paused: false, by, since: now };
  await store.setKillSwitch(state);
  return state;
}
