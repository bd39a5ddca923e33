import { expect } from 'vitest';
import type { RiskLevel } from '../../../backend/src/domain/risk.js';
import { assessCommand, type RiskPolicy } from '../../../backend/src/risk/index.js';

/** One corpus row: the command line, the exact level expected, and (optionally) a fragment one reason must contain. */
export type Row = [command: string, level: RiskLevel, reason?: string | RegExp];

export const POLICY: RiskPolicy = { protectedNamespaces: ['payments'], denyList: [] };

export function expectRow([command, level, reason]: Row, policy: RiskPolicy = POLICY): void {
  const a = assessCommand(command, policy);
  expect({ command, level: a.level, reasons: a.reasons }).toMatchObject({ command, level });
  if (reason !== undefined) {
    const hit = a.reasons.some((r) => (typeof reason === 'string' ? r.includes(reason) : reason.test(r)));
    expect(hit, `expected a reason matching ${String(reason)} in ${JSON.stringify(a.reasons)}`).toBe(true);
  }
  // Reasons come most severe first: a forbidden verdict never leads with the verb's baseline.
  if (level === 'forbidden') expect(a.reasons[0]).not.toMatch(/ by default$/);
  else expect(a.reasons.some((r) => r.endsWith(' by default') || r.endsWith('no baseline for this command'))).toBe(true);
}
