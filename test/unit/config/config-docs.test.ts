import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../backend/src/config/index.js';
import { envSchema } from '../../../backend/src/config/schema.js';

const root = join(import.meta.dirname, '..', '..', '..');
const schemaKeys = Object.keys(envSchema.shape).sort();

describe('configuration docs', () => {
  it('.env.example lists exactly the schema variables, each with a comment line above it', () => {
    const lines = readFileSync(join(root, '.env.example'), 'utf8').split('\n');
    const names: string[] = [];
    lines.forEach((line, i) => {
      const m = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
      if (!m) return;
      names.push(m[1]);
      expect(lines[i - 1], `comment above ${m[1]}`).toMatch(/^# \S/);
      expect(lines[i - 1]).not.toMatch(/^#?\s*[A-Z][A-Z0-9_]*=/);
    });
    expect(names.sort()).toEqual(schemaKeys);
  });

  it('README configuration table has a row for every schema variable', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(schemaKeys);
  });

  it('.env.example, uncommented as is, loads to the same config as no environment', () => {
    const uncommented = readFileSync(join(root, '.env.example'), 'utf8')
      .split('\n')
      .map((l) => /^# [A-Z][A-Z0-9_]*=/.test(l) ? l.slice(2) : l)
      .filter((l) => !l.startsWith('#'))
      .join('\n');
    const env = Object.fromEntries(uncommented.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(loadConfig(env, '/nonexistent/.env')).toEqual(loadConfig({}, '/nonexistent/.env'));
  });
});
