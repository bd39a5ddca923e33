import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlAuditReader } from '../../../backend/src/audit/jsonl-audit-reader.js';
import { JsonlAuditSink } from '../../../backend/src/audit/jsonl-sink.js';
import { event, expectNoSecrets, secretBearingEvent } from './audit-events.js';

const dir = mkdtempSync(join(tmpdir(), 'oncall-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('JSONL audit sink', () => {
  it('creates the directory and appends one JSON object per line, in order, under concurrent writes', async () => {
    const path = join(dir, 'nested', 'deeper', 'audit.jsonl');
    const sink = new JsonlAuditSink(path);
    await Promise.all(Array.from({ length: 200 }, (_, i) => sink.write(event({ data: { seq: i, note: 'x'.repeat(i * 10) } }))));
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(200);
    expect(lines.map((l) => (JSON.parse(l) as { data: { seq: number } }).data.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('keeps multi-line output inside one line', async () => {
    const path = join(dir, 'multiline.jsonl');
    await new JsonlAuditSink(path).write(event({ data: { stdout: 'a\nb\nc' } }));
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('redacts before writing: no bearer token or password reaches the file', async () => {
    const path = join(dir, 'secrets.jsonl');
    await new JsonlAuditSink(path).write(secretBearingEvent());
    const text = readFileSync(path, 'utf8');
    expect(expectNoSecrets(text)).toEqual([]);
    expect(text).toContain('[REDACTED]');
    expect(text).toContain('kubectl rollout undo deployment/web -n shop');
  });

  it('reads back filtered by incident, since and limit, skipping torn lines', async () => {
    const path = join(dir, 'read.jsonl');
    const sink = new JsonlAuditSink(path);
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 10; i += 1) {
      await sink.write(event({ ts: new Date(base + i * 60_000).toISOString(), incidentId: i % 2 ? 'INC-A' : 'INC-B', data: { seq: i } }));
    }
    writeFileSync(path, '{"torn": \n', { flag: 'a' });
    const reader = new JsonlAuditReader(path);
    const seqs = async (q: Parameters<JsonlAuditReader['read']>[0]) => (await reader.read(q)).map((e) => e.data.seq);
    expect(await seqs({ incidentId: 'INC-A' })).toEqual([1, 3, 5, 7, 9]);
    expect(await seqs({ sinceMs: base + 7 * 60_000 })).toEqual([7, 8, 9]);
    expect(await seqs({ limit: 2 })).toEqual([8, 9]);
    expect(await seqs({ incidentId: 'INC-B', sinceMs: base + 3 * 60_000, limit: 2 })).toEqual([6, 8]);
    expect(await new JsonlAuditReader(join(dir, 'missing.jsonl')).read({})).toEqual([]);
  });
});
