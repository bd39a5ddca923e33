// Runs started over MCP, by sessionId (= the run's incident id): a call waits for its outcome up to a bound, sending
// progress while it waits; after that the run goes on and get_remediation reads it. Bounded in count.
import { redactText } from '../redaction/redact.js';
import type { RunResult } from './remediation-engine.js';

export interface RemediationSession {
  id: string;
  kind: 'remediate' | 'action';
  /** The action tool's command (for the pending answer). */
  command?: string;
  startedAt: number;
  done: Promise<void>;
  result?: RunResult;
  /** Set when the run failed without an outcome (an internal error). */
  error?: string;
}

/** Progress reporter of one MCP call. */
export type Progress = (progress: number, total: number | undefined, message: string) => Promise<void>;

const MAX_SESSIONS = 1_000;

export class RemediationSessions {
  private readonly sessions = new Map<string, RemediationSession>();

  constructor(private readonly options: { progressEveryMs?: number } = {}) {}

  /** Starts a run; it goes on whether or not anyone waits for it. */
  start(id: string, kind: RemediationSession['kind'], run: () => Promise<RunResult>, command?: string): RemediationSession {
    const session: RemediationSession = { id, kind, command, startedAt: Date.now(), done: Promise.resolve() };
    session.done = run().then(
      (result) => void (session.result = result),
      (error: unknown) => void (session.error = redactText(error instanceof Error ? error.message : String(error)).slice(0, 500)),
    );
    this.sessions.set(id, session);
    // The oldest finished sessions go first; their outcomes stay readable from the audit trail.
    if (this.sessions.size > MAX_SESSIONS) {
      for (const [key, s] of this.sessions) {
        if (this.sessions.size <= MAX_SESSIONS) break;
        if (s.result || s.error) this.sessions.delete(key);
      }
    }
    return session;
  }

  get(id: string): RemediationSession | undefined {
    return this.sessions.get(id);
  }

  /** Waits for the session to finish, at most waitMs, reporting progress meanwhile. True when it finished. */
  async waitFor(session: RemediationSession, waitMs: number, progress: Progress): Promise<boolean> {
    if (session.result || session.error) return true;
    const every = this.options.progressEveryMs ?? 2_000;
    let ticks = 0;
    let timer: NodeJS.Timeout | undefined;
    let interval: NodeJS.Timeout | undefined;
    const report = () => {
      ticks += 1;
      const seconds = Math.round((Date.now() - session.startedAt) / 1000);
      progress(ticks, undefined, `pipeline running for ${seconds}s (session ${session.id})`).catch(() => undefined);
    };
    try {
      report();
      interval = setInterval(report, every);
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs)));
      return await Promise.race([session.done.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
      clearInterval(interval);
    }
  }

  /** Every run still in flight, for shutdown. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((s) => s.done));
  }
}
