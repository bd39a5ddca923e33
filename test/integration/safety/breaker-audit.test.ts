import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlAuditSink } from '../../../backend/src/audit/jsonl-sink.js';
import { recordBreakerOutcomeAudited } from '../../../backend/src/safety/breaker-audit.js';
import { MemorySafetyStore } from '../../../backend/src/safety/memory-safety-store.js';

const dir = mkdtempSync(join(tmpdir(), 'oncall-breaker-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recordBreakerOutcomeAudited', () => {
  it('audits each transition once, with scope and reason', async () => {
    const path = join(dir, 'audit.jsonl');
    let clock = 0;
    const seen: string[] = [];
    const deps = {
      store: new MemorySafetyStore(),
      audit: new JsonlAuditSink(path),
      policy: { failureThreshold: 5, openMs: 1000, halfOpenSuccesses: 2 },
      now: () => clock,
      onTransition: (t: { from: string; to: string }) => seen.push(`${t.from}->${t.to}`),
    };
    for (let i = 0; i < 5; i += 1) await recordBreakerOutcomeAudited(deps, 'cluster:prod', false, `INC${i}`);
    clock = 1000;
    await recordBreakerOutcomeAudited(deps, 'cluster:prod', true);
    await recordBreakerOutcomeAudited(deps, 'cluster:prod', true);
    // The first success after the open period is the one that notices open→half-open.
    expect(seen).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
    const records = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; incidentId?: string; data: Record<string, string> });
    expect(records.map((r) => [r.type, r.data.from, r.data.to])).toEqual([
      ['breaker.transition', 'closed', 'open'],
      ['breaker.transition', 'open', 'half-open'],
      ['breaker.transition', 'half-open', 'closed'],
    ]);
    expect(records[0]).toMatchObject({ incidentId: 'INC4', data: { scope: 'cluster:prod', reason: expect.stringContaining('5 consecutive failures') } });
  });
});
