import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../backend/src/config/index.js';
import { envSchema } from '../../../backend/src/config/schema.js';
import { createMetrics } from '../../../backend/src/observability/metrics.js';
import { commandEntries } from '../../../backend/src/cli/commands.js';

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

describe('README lists what the code has', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('the /metrics row names exactly the metrics the agent registers (besides the process metrics)', async () => {
    const registered = (await createMetrics().registry.getMetricsAsJSON()).map((m) => m.name).sort();
    const row = readme.split('\n').find((l) => l.startsWith('| `GET /metrics` |'))!;
    const documented = [...row.matchAll(/`(oncall_[a-z_]+)(?:\{[^}]*\})?`/g)].map((m) => m[1]).sort();
    expect(documented).toEqual(registered);
  });

  it('the commands table has a row for every CLI command, and none that does not exist', () => {
    const table = readme.slice(readme.indexOf('### Commands'), readme.indexOf('### What the agent needs'));
    const documented = [...table.matchAll(/^\| `([a-z]+)[ `]/gm)].map((m) => m[1]);
    const alsoInRow = [...table.matchAll(/ \/ `([a-z]+)[ `]/g)].map((m) => m[1]);
    expect([...new Set([...documented, ...alsoInRow])].sort()).toEqual(commandEntries.map((e) => e.name).sort());
  });

  it("chaos/sim/README.md documents every sim annotation the runtime reads, each with an example", () => {
    const simReadme = readFileSync(join(root, 'chaos', 'sim', 'README.md'), 'utf8');
    for (const name of ['exit-code.', 'memory-mi.', 'probe-fail.', 'log.', 'cpu-utilization', 'heartbeat']) {
      const row = simReadme.split('\n').find((l) => l.startsWith(`| \`sim.oncall-agent.dev/${name}`));
      expect(row, name).toBeDefined();
      expect(row, name).toMatch(/`kubectl [^`]+`/);
    }
  });

  it('no stale text', () => {
    for (const file of ['README.md', '.env.example']) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text).not.toMatch(/placeholder stage|received\.jsonl|\.\.\/shared\//);
    }
  });
});
