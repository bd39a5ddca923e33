// "One rule per file": every file of rules/ (but the index) exports exactly one RunbookRule, named by its file, and
// the index lists every one of them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUNBOOK_RULES } from '../../../backend/src/diagnose/runbook/rules/index.js';

const DIR = join(__dirname, '../../../backend/src/diagnose/runbook/rules');
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
const isRule = (v: unknown): boolean => typeof v === 'object' && v !== null && typeof (v as { diagnose?: unknown }).diagnose === 'function' && typeof (v as { id?: unknown }).id === 'string';

describe('runbook rule files', () => {
  it.each(files)('%s holds one rule, whose id is the file name', async (file) => {
    const rules = Object.values(await import(join(DIR, file))).filter(isRule) as Array<{ id: string }>;
    expect(rules.map((r) => r.id)).toEqual([file.replace(/\.ts$/, '')]);
  });

  it('the index orders every rule file exactly once', () => {
    expect(RUNBOOK_RULES.map((r) => r.id).sort()).toEqual(files.map((f) => f.replace(/\.ts$/, '')).sort());
  });
});
