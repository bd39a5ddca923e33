import type { AuditEvent } from '../domain/audit.js';
import type { AuditSink } from '../domain/ports.js';
import type { Metrics } from '../observability/metrics.js';
import { redactText } from '../redaction/redact.js';
import { redactAuditEvent } from './redact-event.js';
import { SinkHealthTracker, type SinkHealth, type SinkTransition } from './sink-health.js';

export interface NamedSink {
  name: string;
  sink: AuditSink;
  /** The file or stream it writes to, named in the failure log line and in /healthz. */
  target?: string;
}

/** The part of the logger the fan-out needs (pino's Logger fits). */
export interface SinkFailureLogger {
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

export interface FanOutOptions {
  timeoutMs?: number;
  /** How often a sink that keeps failing is logged again (default 5 minutes). */
  reminderMs?: number;
  metrics?: Pick<Metrics, 'auditSinkFailures' | 'auditSinkUp'>;
  now?: () => number;
}

export interface FanOutSink extends AuditSink {
  /** Each sink's health: failing ones say since when, how many records they lost, and the last error. */
  health(): SinkHealth[];
}

/**
 * Writes each event to every sink at once. The audit trail must never stop a remediation: a sink that fails or
 * hangs past `timeoutMs` is skipped, and never delays the others beyond that or throws into the pipeline. A failing
 * sink is logged loudly once (naming its file and the error code), reminded of every `reminderMs` with the count of
 * records it lost, and its recovery logged: never one line per record, which would bury the rest of the log.
 */
export function createFanOutSink(sinks: NamedSink[], logger: SinkFailureLogger, options: FanOutOptions = {}): FanOutSink {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = options.now ?? Date.now;
  const tracker = new SinkHealthTracker(sinks, options.reminderMs);
  for (const { name } of sinks) {
    options.metrics?.auditSinkFailures.inc({ sink: name }, 0);
    options.metrics?.auditSinkUp.set({ sink: name }, 1);
  }
  const report = (named: NamedSink, transition: SinkTransition, event: AuditEvent, error?: string): void => {
    if (transition.log === 'none') return;
    const others = sinks.filter((s) => s !== named).map((s) => s.name);
    const where = named.target ? ` ${named.target}` : '';
    const fields = { sink: named.name, path: named.target, err: error, failedWrites: transition.failedWrites, eventType: event.type, incidentId: event.incidentId };
    const still = others.length ? `the other sinks (${others.join(', ')}) still get every record` : 'no other audit sink is configured: records are being lost';
    if (transition.log === 'failing') {
      logger.error(fields, `audit sink ${named.name} cannot write${where} (${error}): ${still}; it will be logged again if it keeps failing, and when it recovers`);
    } else if (transition.log === 'still-failing') {
      logger.error({ ...fields, failingSince: new Date(transition.failingSince).toISOString() }, `audit sink ${named.name} still cannot write${where} (${error}): ${transition.failedWrites} records missing from it so far; ${still}`);
    } else {
      logger.warn({ sink: named.name, path: named.target, failedWrites: transition.failedWrites, failingSince: new Date(transition.failingSince).toISOString() }, `audit sink ${named.name} recovered${where ? `: writing${where} again` : ''}; ${transition.failedWrites} records written meanwhile are missing from it (the other sinks have them)`);
    }
  };
  return {
    health: () => tracker.snapshot(),
    async write(event: AuditEvent): Promise<void> {
      const safe = redactAuditEvent(event);
      await Promise.all(
        sinks.map(async (named) => {
          let timer: NodeJS.Timeout | undefined;
          try {
            await Promise.race([
              named.sink.write(safe),
              new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
              }),
            ]);
            const transition = tracker.recordSuccess(named.name);
            if (transition.log === 'recovered') options.metrics?.auditSinkUp.set({ sink: named.name }, 1);
            report(named, transition, safe);
          } catch (error) {
            const described = describeSinkError(error);
            options.metrics?.auditSinkFailures.inc({ sink: named.name });
            options.metrics?.auditSinkUp.set({ sink: named.name }, 0);
            report(named, tracker.recordFailure(named.name, described, now()), safe, described);
          } finally {
            clearTimeout(timer);
          }
        }),
      );
    },
  };
}

/** "ENOSPC: no space left on device, write": the errno first, since that is what an operator acts on. */
function describeSinkError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = redactText((error as Error | null)?.message ?? String(error));
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}
