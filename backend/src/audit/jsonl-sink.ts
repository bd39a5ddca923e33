import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEvent } from '../domain/audit.js';
import type { AuditSink } from '../domain/ports.js';
import { redactAuditEvent } from './redact-event.js';

/**
 * Appends one redacted JSON object per line to AUDIT_JSONL_PATH, creating its directory. Writes from this process
 * are queued so lines never interleave and keep their order; each line is one O_APPEND write.
 */
export class JsonlAuditSink implements AuditSink {
  private queue: Promise<void> = Promise.resolve();
  private directoryReady: Promise<unknown> | undefined;

  constructor(readonly path: string) {}

  write(event: AuditEvent): Promise<void> {
    const line = `${JSON.stringify(redactAuditEvent(event))}\n`;
    const next = this.queue.then(async () => {
      this.directoryReady ??= mkdir(dirname(this.path), { recursive: true });
      try {
        await this.directoryReady;
      } catch (error) {
        this.directoryReady = undefined; // retry the mkdir next time
        throw error;
      }
      await appendFile(this.path, line, { mode: 0o600 });
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
