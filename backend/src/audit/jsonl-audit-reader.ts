import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AuditEvent } from '../domain/audit.js';
import { matchesAuditQuery, parseAuditEvent, type AuditQuery, type AuditReader } from './audit-reader.js';

/** Streams the JSONL file line by line (it may be large), keeping only matches; a missing file is an empty trail. */
export class JsonlAuditReader implements AuditReader {
  constructor(readonly path: string) {}

  async read(query: AuditQuery): Promise<AuditEvent[]> {
    const out: AuditEvent[] = [];
    const input = createReadStream(this.path, { encoding: 'utf8' });
    try {
      const lines = createInterface({ input, crlfDelay: Infinity });
      for await (const line of lines) {
        const event = line.trim() ? parseAuditEvent(line) : undefined;
        if (!event || !matchesAuditQuery(event, query)) continue;
        out.push(event);
        if (query.limit !== undefined && out.length > query.limit) out.shift();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    } finally {
      input.destroy();
    }
    return out;
  }

  async close(): Promise<void> {
    // Nothing held open between reads.
  }
}
