import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExpectation, scoreRootCause, summariseRootCauseAccuracy } from '../../../chaos/harness/root-cause-accuracy.js';

const expected = parseExpectation('25-quota-exceeded', { expect: 'escalate', namespace: 'chaos-25', target: 'deployment/workers', rootCauseMustMention: ['pod-budget', 'pods=2'] });

describe('root-cause accuracy', () => {
  it.each([
    ['names every key fact', 'ResourceQuota pod-budget in chaos-25 refuses new pods: requested pods=1, used pods=2, hard limit pods=2', true, []],
    ['is case- and whitespace-insensitive', 'resourcequota  POD-BUDGET refuses:\n PODS=2', true, []],
    ['misses one fact', 'a ResourceQuota refuses new pods of deployment workers', false, ['pod-budget', 'pods=2']],
    ['an empty root cause names nothing', undefined, false, ['pod-budget', 'pods=2']],
    ['"unknown" names nothing', 'unknown', false, ['pod-budget', 'pods=2']],
  ] as const)('%s', (_name, rootCause, named, missing) => {
    expect(scoreRootCause('25-quota-exceeded', expected, rootCause)).toEqual({ scenario: '25-quota-exceeded', scored: true, named, missing });
  });

  it('a scenario without key facts is not scored, and the percentage counts only scored ones', () => {
    const unscored = scoreRootCause('01-x', {}, 'anything');
    expect(unscored.scored).toBe(false);
    const summary = summariseRootCauseAccuracy([unscored, scoreRootCause('25', expected, 'pod-budget pods=2'), scoreRootCause('26', expected, 'nope'), scoreRootCause('27', expected, 'pod-budget, pods=2')]);
    expect(summary).toEqual({ scored: 3, named: 2, percent: 66.7, misses: [{ scenario: '26', missing: ['pod-budget', 'pods=2'] }] });
    expect(summariseRootCauseAccuracy([]).percent).toBeUndefined();
  });

  it('a malformed expected.json gets a one-line error naming the scenario', () => {
    expect(() => parseExpectation('20-x', { expect: 'maybe', namespace: 'a', target: 'deployment/b' })).toThrow(/^20-x\/expected\.json: expect: /);
    expect(() => parseExpectation('20-x', { expect: 'fix', namespace: 'a', target: 'web' })).toThrow(/target must look like/);
  });

  it('every scenario folder has a valid expected.json, and the runbook classes (20–39) list key facts', () => {
    const root = join(__dirname, '../../../chaos/scenarios');
    const dirs = existsSync(root) ? readdirSync(root).filter((d) => /^\d\d-/.test(d)) : [];
    const ours = dirs.filter((d) => Number(d.slice(0, 2)) >= 20 && Number(d.slice(0, 2)) <= 39);
    expect(ours.length).toBeGreaterThanOrEqual(15);
    for (const dir of dirs) {
      const e = parseExpectation(dir, JSON.parse(readFileSync(join(root, dir, 'expected.json'), 'utf8')));
      if (ours.includes(dir)) expect(e.rootCauseMustMention?.length, dir).toBeGreaterThan(0);
    }
  });
});
