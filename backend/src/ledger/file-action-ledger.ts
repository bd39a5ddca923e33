// The ledger without Redis: one JSON file per action under STATE_DIR/ledger, so a restarted process (the in-process
// queue loses its jobs, but `oncall-agent audit` and a re-delivered incident do not) still finds what ran. Reads and
// writes are synchronous, so each claim is atomic within the one process that owns STATE_DIR; a file is replaced by
// rename, so a crash leaves the old or the new version, never half of one.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionLedger, LedgerEntry, LedgerField, LedgerIntent, LedgerRerun } from './action-ledger.js';
import { sortEntries } from './action-ledger.js';
import { parseEntry } from './redis-action-ledger.js';

interface StoredEntry {
  expiresAt: number;
  fields: Record<string, string>;
}

export class FileActionLedger implements ActionLedger {
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  private path(key: string): string {
    return join(this.dir, `${encodeURIComponent(key)}.json`);
  }

  private load(key: string): StoredEntry | undefined {
    let stored: StoredEntry;
    try {
      stored = JSON.parse(readFileSync(this.path(key), 'utf8')) as StoredEntry;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`the action ledger file for ${key} is unreadable: ${(error as Error).message}`, { cause: error });
    }
    if (stored.expiresAt <= this.now()) {
      rmSync(this.path(key), { force: true });
      return undefined;
    }
    return stored;
  }

  private save(key: string, stored: StoredEntry): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.path(key)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(stored), { flush: true });
    renameSync(tmp, this.path(key));
  }

  private setField(key: string, field: string, value: string, onlyIfAbsent: boolean, ttlMs?: number): boolean {
    const stored = this.load(key) ?? { expiresAt: this.now() + (ttlMs ?? 0), fields: {} };
    if (onlyIfAbsent && stored.fields[field] !== undefined) return false;
    if (!stored.fields.intent && field !== 'intent') throw new Error(`no intent recorded for ${key}`);
    stored.fields[field] = value;
    if (ttlMs) stored.expiresAt = this.now() + ttlMs;
    this.save(key, stored);
    return true;
  }

  async claimIntent(key: string, intent: LedgerIntent, ttlMs: number): Promise<boolean> {
    return this.setField(key, 'intent', JSON.stringify(intent), true, ttlMs);
  }

  async record(key: string, field: LedgerField, value: object): Promise<void> {
    this.setField(key, field, JSON.stringify(value), false);
  }

  async claimRerun(key: string, rerun: LedgerRerun): Promise<boolean> {
    return this.setField(key, 'rerun', JSON.stringify(rerun), true);
  }

  async claimBreakerCount(key: string): Promise<boolean> {
    return this.setField(key, 'breaker', '1', true);
  }

  async read(key: string): Promise<LedgerEntry | undefined> {
    const stored = this.load(key);
    return stored ? parseEntry(key, stored.fields) : undefined;
  }

  async listIncident(incidentId: string): Promise<LedgerEntry[]> {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const prefix = encodeURIComponent(`${incidentId}:`);
    const keys = names.filter((n) => n.startsWith(prefix) && n.endsWith('.json')).map((n) => decodeURIComponent(n.slice(0, -'.json'.length)));
    const entries = await Promise.all(keys.map((key) => this.read(key)));
    return sortEntries(entries.filter((e): e is LedgerEntry => e !== undefined && e.intent.incidentId === incidentId));
  }

  async close(): Promise<void> {}
}
