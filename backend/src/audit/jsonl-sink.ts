import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEvent } from '../domain/audit.js';
import type { AuditSink } from '../domain/ports.js';
import { redactAuditEvent } from './redact-event.js';

/**
 * Appends one redacted JSON object per line to AUDIT_JSONL_PATH, creating its directory. Writes from this process
 * are queued so lines never interleave and keep their order; each line is one O_APPEND write. A directory removed
 * while the agent runs (log cleanup, a remounted volume) is created again on the next write; any other failure
 * (ENOSPC, EISDIR, ENOTDIR, EACCES) is thrown to the fan-out, which logs it and keeps the other sinks going.
 */
export class JsonlAuditSink implements AuditSink {
  private queue: Promise<void> = Promise.resolve();
  private directoryReady: Promise<unknown> | undefined;

  constructor(readonly path: string) {}

  write(event: AuditEvent): Promise<void> {
    const line = `${JSON.stringify(redactAuditEvent(event))}\n`;
    const next = this.queue.then(async () => {
      await this.ensureDirectory();
      try {
        await appendFile(this.path, line, { mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        this.directoryReady = undefined;
        await this.ensureDirectory();
        await appendFile(this.path, line, { mode: 0o600 });
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async ensureDirectory(): Promise<void> {
    this.directoryReady ??= mkdir(dirname(this.path), { recursive: true });
    try {
      await this.directoryReady;
    } catch (error) {
      this.directoryReady = undefined; // retry the mkdir next time
      // mkdir -p says EEXIST when a regular file has the directory's name: ENOTDIR is what the operator must fix.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw Object.assign(new Error(`ENOTDIR: ${dirname(this.path)} exists and is not a directory`), { code: 'ENOTDIR', cause: error });
      throw error;
    }
  }
}
