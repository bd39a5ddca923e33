import type { AuditEvent } from '../domain/audit.js';
import type { AuditSink } from '../domain/ports.js';
import { redactText } from '../redaction/redact.js';
import { redactAuditEvent } from './redact-event.js';

export interface NamedSink {
  name: string;
  sink: AuditSink;
}

/** The part of the logger the fan-out needs (pino's Logger fits). */
export interface SinkFailureLogger {
  warn(object: Record<string, unknown>, message: string): void;
}

/**
 * Writes each event to every sink at once. The audit trail must never stop a remediation: a sink that fails or
 * hangs past `timeoutMs` is logged and skipped, and never delays the others beyond that or throws into the pipeline.
 */
export function createFanOutSink(sinks: NamedSink[], logger: SinkFailureLogger, options: { timeoutMs?: number } = {}): AuditSink {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    async write(event: AuditEvent): Promise<void> {
      const safe = redactAuditEvent(event);
      await Promise.all(
        sinks.map(async ({ name, sink }) => {
          let timer: NodeJS.Timeout | undefined;
          try {
            await Promise.race([
              sink.write(safe),
              new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
              }),
            ]);
          } catch (error) {
            logger.warn({ sink: name, eventType: safe.type, incidentId: safe.incidentId, err: redactText((error as Error).message) }, 'audit sink write failed');
          } finally {
            clearTimeout(timer);
          }
        }),
      );
    },
  };
}
