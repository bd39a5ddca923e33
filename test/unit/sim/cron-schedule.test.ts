import { describe, expect, it } from 'vitest';
import { lastScheduledBetween, parseCron } from '../../../chaos/sim/controllers/cron-schedule.js';

const at = (iso: string) => Date.parse(iso);

describe('cron schedules', () => {
  it.each([
    ['*/15 * * * *', '2026-01-05T10:31:20Z', '2026-01-05T10:30:00Z'],
    ['0 3 * * *', '2026-01-05T10:31:20Z', '2026-01-05T03:00:00Z'],
    ['@hourly', '2026-01-05T10:31:20Z', '2026-01-05T10:00:00Z'],
    ['5,35 8-11 * * 1-5', '2026-01-05T10:31:20Z', '2026-01-05T10:05:00Z'],
    ['0 0 * * 0', '2026-01-05T10:31:20Z', '2026-01-04T00:00:00Z'],
    // Day-of-month 1 OR Monday (Jan 5th 2026): both restricted, either matches.
    ['0 0 1 * 1', '2026-01-05T10:31:20Z', '2026-01-05T00:00:00Z'],
  ])('%s: the last run before %s is %s', (schedule, now, expected) => {
    const parsed = parseCron(schedule);
    expect(parsed).toBeDefined();
    expect(lastScheduledBetween(parsed!, at('2026-01-01T00:00:00Z'), at(now))).toBe(at(expected));
  });

  it('nothing is due when no minute in the window matches', () => {
    expect(lastScheduledBetween(parseCron('0 0 30 2 *')!, at('2026-01-01T00:00:00Z'), at('2026-01-05T00:00:00Z'))).toBeUndefined();
  });

  it.each(['', '* * * *', '61 * * * *', 'a b c d e', '*/0 * * * *', '0 0 * * 7'])('rejects %j (robfig/cron bounds)', (schedule) => {
    expect(parseCron(schedule)).toBeUndefined();
  });
});
