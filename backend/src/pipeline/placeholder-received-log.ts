import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One line of the placeholder's "received" log. */
export interface ReceivedEntry {
  ts: string;
  jobId: string;
  jobKind: string;
  incidentId: string;
  eventType: string;
  deliveryId: string;
  attempt: number;
  title?: string;
}

/** Where the placeholder stage records what it received (PLACEHOLDER until the real pipeline's audit trail). */
export interface PlaceholderReceivedLog {
  append(entry: ReceivedEntry): Promise<void>;
}

/** Appends one JSON line per received job, e.g. to <STATE_DIR>/received.jsonl. */
export function createPlaceholderJsonlReceivedLog(path: string): PlaceholderReceivedLog {
  let ready: Promise<unknown> | undefined;
  return {
    async append(entry) {
      ready ??= mkdir(dirname(path), { recursive: true });
      await ready;
      await appendFile(path, `${JSON.stringify(entry)}\n`, 'utf8');
    },
  };
}

/** Keeps entries in memory (tests, and callers that only want to look). */
export function createPlaceholderMemoryReceivedLog(): PlaceholderReceivedLog & { entries: ReceivedEntry[] } {
  const entries: ReceivedEntry[] = [];
  return {
    entries,
    async append(entry) {
      entries.push(entry);
    },
  };
}
