// Standard 5-field cron schedules (minute hour day-of-month month day-of-week, UTC) and the @-macros the CronJob
// controller accepts, evaluated minute by minute.

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const RANGES: Array<[number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];

/** Allowed values per field; a restricted day-of-month and day-of-week match either (robfig/cron). */
export interface CronSchedule {
  fields: Array<Set<number>>;
  domStar: boolean;
  dowStar: boolean;
}

/** Parses a schedule; undefined when it is not one the sim understands. */
export function parseCron(text: string): CronSchedule | undefined {
  const fields = (MACROS[text.trim()] ?? text).trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const out: Array<Set<number>> = [];
  for (let i = 0; i < 5; i++) {
    const [lo, hi] = RANGES[i];
    const values = new Set<number>();
    for (const part of fields[i].split(',')) {
      const m = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
      if (!m) return undefined;
      const start = m[1] === '*' ? lo : Number(m[1]);
      const end = m[2] !== undefined ? Number(m[2]) : m[1] === '*' || m[3] !== undefined ? hi : start;
      const step = m[3] !== undefined ? Number(m[3]) : 1;
      if (start < lo || end > hi || start > end || step < 1) return undefined;
      for (let v = start; v <= end; v += step) values.add(v);
    }
    out.push(values);
  }
  return { fields: out, domStar: fields[2].startsWith('*'), dowStar: fields[4].startsWith('*') };
}

function matches(schedule: CronSchedule, at: Date): boolean {
  const [minutes, hours, dom, months, dow] = schedule.fields;
  if (!minutes.has(at.getUTCMinutes()) || !hours.has(at.getUTCHours()) || !months.has(at.getUTCMonth() + 1)) return false;
  const domOk = dom.has(at.getUTCDate());
  const dowOk = dow.has(at.getUTCDay());
  return schedule.domStar || schedule.dowStar ? domOk && dowOk : domOk || dowOk;
}

/** The latest scheduled minute in (afterMs, untilMs], or undefined (looks back at most `maxMinutes`). */
export function lastScheduledBetween(schedule: CronSchedule, afterMs: number, untilMs: number, maxMinutes = 60 * 24 * 8): number | undefined {
  let minute = Math.floor(untilMs / 60_000) * 60_000;
  for (let i = 0; minute > afterMs && i < maxMinutes; i++, minute -= 60_000) {
    if (matches(schedule, new Date(minute))) return minute;
  }
  return undefined;
}
