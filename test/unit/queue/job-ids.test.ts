import { describe, expect, it } from 'vitest';
import { coalesceKey, deliveryJobId, safeIdPart } from '../../../backend/src/queue/job-ids.js';
import { lifecycleJob, triageJob } from '../../helpers/incident-jobs.js';

describe('job ids', () => {
  it.each([
    ['f4c8e3a0-5a1b-4b1c-9d1e-2f3a4b5c6d7e', 'f4c8e3a0-5a1b-4b1c-9d1e-2f3a4b5c6d7e'],
    ['PGR0VU2', 'PGR0VU2'],
  ])('keeps the safe id %s', (raw, expected) => {
    expect(safeIdPart(raw)).toBe(expected);
  });

  it.each(['a:b', 'bull:incidents:1', 'has space', '', 'x'.repeat(200), 'ünï'])('hashes the unsafe id %j without ":"', (raw) => {
    const part = safeIdPart(raw);
    expect(part).toMatch(/^h[0-9a-f]{40}$/);
    expect(part).not.toContain(':');
  });

  it('does not collide ids that differ only in unsafe characters', () => {
    expect(safeIdPart('a:b')).not.toBe(safeIdPart('a;b'));
    expect(safeIdPart('a:b')).not.toBe('a_b');
  });

  it('derives job ids from the delivery and coalesces triage by incident only', () => {
    expect(deliveryJobId(triageJob('P1', 'D1'))).toBe('triage-D1');
    expect(deliveryJobId(lifecycleJob('P1', 'D1'))).toBe('lifecycle-D1');
    expect(deliveryJobId(triageJob('P1', 'a:b'))).not.toContain(':');
    expect(coalesceKey(triageJob('P1', 'D1'))).toBe('triage-P1');
    expect(coalesceKey(lifecycleJob('P1', 'D1'))).toBeUndefined();
  });
});
