import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../../chaos/sim/api/printers/age.js';
import { podWideCells, summarizePod } from '../../../chaos/sim/api/printers/pod-status.js';

interface LabRow {
  pod: { metadata: { name: string; creationTimestamp: string } };
  cells: string[];
  conditions?: unknown;
}

const lab = JSON.parse(readFileSync(new URL('../../fixtures/sim/pod-status-lab.json', import.meta.url), 'utf8')) as { rows: LabRow[] };

function parseAge(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhd])/g)) total += Number(n) * { s: 1, m: 60, h: 3600, d: 86400 }[unit as 's']!;
  return total * 1000;
}

describe('pod STATUS as the real server prints it (31 lab pods + container order)', () => {
  it.each(lab.rows.map((row) => [row.pod.metadata.name, row] as const))('%s', (_name, row) => {
    // The capture's "now": creation + the printed age (both truncated to seconds).
    const now = Date.parse(row.pod.metadata.creationTimestamp) + parseAge(row.cells[4]);
    const candidates = [now, now + 999].map((t) => summarizePod(row.pod, t));
    const [name, ready, status, restarts] = row.cells;
    expect(name).toBe(row.pod.metadata.name);
    expect(candidates[0].ready).toBe(ready);
    expect(candidates[0].status).toBe(status);
    expect(candidates.map((c) => c.restarts)).toContain(restarts);
    expect(candidates[0].conditions).toEqual(row.conditions);
    expect(podWideCells(row.pod)).toEqual(row.cells.slice(5));
  });
});

describe('humanDuration', () => {
  it.each([
    [0, '0s'],
    [119_000, '119s'],
    [120_000, '2m'],
    [192_000, '3m12s'],
    [600_000, '10m'],
    [3 * 3600_000, '3h'],
    [4 * 3600_000 + 5 * 60_000, '4h5m'],
    [47 * 3600_000, '47h'],
    [2 * 86400_000, '2d'],
    [2 * 86400_000 + 3 * 3600_000, '2d3h'],
    [30 * 86400_000, '30d'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});
