// The health of each audit sink, as pure transitions: the fan-out feeds it every write's result and it answers what
// deserves a log line. A sink that fails on every record (a full disk, a file replaced by a directory) must be
// said loudly once, reminded of now and then, and its recovery announced, not logged once per audit record.

/** What one sink's state says about it (for /healthz and tests). */
export interface SinkHealth {
  sink: string;
  /** The file or stream the sink writes to, when it has one. */
  target?: string;
  healthy: boolean;
  /** While failing: when the first failure of this spell happened (ISO time). */
  failingSince?: string;
  /** Records this sink lost in the current (or last) spell of failures. */
  failedWrites: number;
  /** The last error's code (ENOSPC, EISDIR, ...) or message, redacted by the caller. */
  lastError?: string;
}

interface SinkState {
  failingSince?: number;
  failedWrites: number;
  lastError?: string;
  lastLoggedAt?: number;
}

/** What the fan-out should log after a write: nothing, the first failure, a reminder, or the recovery. */
export type SinkTransition =
  | { log: 'none' }
  | { log: 'failing'; failedWrites: number }
  | { log: 'still-failing'; failedWrites: number; failingSince: number }
  | { log: 'recovered'; failedWrites: number; failingSince: number };

export class SinkHealthTracker {
  private readonly states = new Map<string, SinkState>();

  /**
   * @param reminderMs how often a sink that keeps failing is logged again (with the count of records it lost).
   */
  constructor(
    private readonly sinks: Array<{ name: string; target?: string }>,
    private readonly reminderMs = 5 * 60_000,
  ) {
    for (const { name } of sinks) this.states.set(name, { failedWrites: 0 });
  }

  recordFailure(name: string, error: string, now: number): SinkTransition {
    const state = this.stateOf(name);
    const wasHealthy = state.failingSince === undefined;
    if (wasHealthy) {
      state.failingSince = now;
      state.failedWrites = 0;
    }
    state.failedWrites++;
    state.lastError = error;
    if (wasHealthy) {
      state.lastLoggedAt = now;
      return { log: 'failing', failedWrites: state.failedWrites };
    }
    if (now - (state.lastLoggedAt ?? 0) >= this.reminderMs) {
      state.lastLoggedAt = now;
      return { log: 'still-failing', failedWrites: state.failedWrites, failingSince: state.failingSince! };
    }
    return { log: 'none' };
  }

  recordSuccess(name: string): SinkTransition {
    const state = this.stateOf(name);
    if (state.failingSince === undefined) return { log: 'none' };
    const failingSince = state.failingSince;
    state.failingSince = undefined;
    state.lastLoggedAt = undefined;
    return { log: 'recovered', failedWrites: state.failedWrites, failingSince };
  }

  snapshot(): SinkHealth[] {
    return this.sinks.map(({ name, target }) => {
      const state = this.stateOf(name);
      const healthy = state.failingSince === undefined;
      return {
        sink: name,
        ...(target ? { target } : {}),
        healthy,
        ...(healthy ? {} : { failingSince: new Date(state.failingSince!).toISOString() }),
        failedWrites: state.failedWrites,
        ...(state.lastError ? { lastError: state.lastError } : {}),
      };
    });
  }

  private stateOf(name: string): SinkState {
    let state = this.states.get(name);
    if (!state) this.states.set(name, (state = { failedWrites: 0 }));
    return state;
  }
}
