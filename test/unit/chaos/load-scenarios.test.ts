import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios, matchesName } from '../../../chaos/harness/load-scenarios.js';

const repoScenarios = join(import.meta.dirname, '..', '..', '..', 'chaos', 'scenarios');

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'chaos-load-'));
  const dir = join(root, '50-example');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return root;
}

const alert = JSON.stringify({ event_action: 'trigger', payload: { summary: 'pods of web crash', source: 'prom', severity: 'critical', custom_details: { namespace: 'x' } } });

describe('loading scenario folders', () => {
  it('loads every public scenario, with its alerts, expectation and README line', () => {
    const all = loadScenarios(repoScenarios);
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const s of all) {
      expect(s.hasVerify && s.hasCleanup).toBe(true);
      expect(s.description.length).toBeGreaterThan(10);
      // The alert describes the symptom only: it never names the fix.
      for (const a of s.alerts) expect(JSON.stringify(a.payload)).not.toMatch(/rollout undo|uncordon|set resources|kubectl scale/i);
    }
    const dup = all.find((s) => s.name === '09-duplicate-incidents');
    expect(dup?.alerts.map((a) => a.file)).toEqual(['alert.json', 'alert-2.json']);
    expect(dup?.maxTargetWrites).toBe(1);
  });

  it('selects by number or name and says which selection matched nothing', () => {
    expect(loadScenarios(repoScenarios, ['1', 'oomkilled']).map((s) => s.name)).toEqual(['01-crashloop-bad-rollout', '03-oomkilled']);
    expect(() => loadScenarios(repoScenarios, ['nope'])).toThrow(/--only: no scenario matches "nope"/);
    expect(matchesName('12-unknown-workload', '12')).toBe(true);
    expect(matchesName('12-unknown-workload', '1')).toBe(false);
  });

  it('accepts a bare Events v2 payload and refuses a malformed scenario with one line naming the file', () => {
    const ok = folder({ 'setup.sh': '', 'alert.json': JSON.stringify(JSON.parse(alert).payload), 'expected.json': '{"expect":"fix","namespace":"x","target":"deployment/web"}' });
    expect(loadScenarios(ok)[0]).toMatchObject({ expect: 'fix', target: { kind: 'deployment', name: 'web' }, hasVerify: false });
    const bad = folder({ 'setup.sh': '', 'alert.json': alert, 'expected.json': '{"expect":"maybe","namespace":"x","target":"web"}' });
    expect(() => loadScenarios(bad)).toThrow(/50-example\/expected.json: expect: .*; target: kind\/name/);
    const noAlert = folder({ 'setup.sh': '', 'expected.json': '{"expect":"fix","namespace":"x","target":"deployment/web"}' });
    expect(() => loadScenarios(noAlert)).toThrow(/50-example: no alert.json/);
    const brokenJson = folder({ 'setup.sh': '', 'alert.json': '{', 'expected.json': '{"expect":"fix","namespace":"x","target":"deployment/web"}' });
    expect(() => loadScenarios(brokenJson)).toThrow(/alert.json: not valid JSON/);
  });
});
