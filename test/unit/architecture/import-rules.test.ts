// The layout rules of backend/src, checked on its real import graph: no import cycles, each vendor SDK imported only by
// its adapter folder, and the pure cores (domain/, kube/, risk/) importing nothing with side effects.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, readImportGraph, type ModuleImports } from './import-graph.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../backend/src');
const graph = readImportGraph(root);

const folderOf = (file: string) => (file.includes('/') ? file.split('/')[0] : file);
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Each vendor SDK and the one folder that may import it (its adapter). */
const SDK_OWNERS: Record<string, string> = {
  '@kubernetes/client-node': 'cluster',
  execa: 'cluster',
  '@anthropic-ai/sdk': 'llm',
  bullmq: 'queue',
  '@pagerduty/pdjs': 'pagerduty',
};

/** Folders that are pure cores, and the only folders (besides themselves) they may import. */
const PURE_FOLDERS: Record<string, string[]> = {
  domain: [],
  kube: [],
  risk: ['domain', 'kube'],
};

function sdkViolations(modules: ModuleImports[]): string[] {
  const out: string[] = [];
  for (const m of modules) {
    for (const specifier of m.external) {
      const owner = SDK_OWNERS[packageOf(specifier)];
      if (owner && folderOf(m.file) !== owner) out.push(`${m.file} imports ${specifier}, which only ${owner}/ may import`);
    }
  }
  return out;
}

function purityViolations(modules: ModuleImports[]): string[] {
  const out: string[] = [];
  for (const m of modules) {
    const folder = folderOf(m.file);
    const allowed = PURE_FOLDERS[folder];
    if (!allowed) continue;
    for (const target of m.local) {
      const to = folderOf(target);
      if (to !== folder && !allowed.includes(to)) out.push(`${m.file} imports ${target}; ${folder}/ may import only ${[folder, ...allowed].join(', ')}`);
    }
  }
  return out;
}

describe('backend/src import graph', () => {
  it('reads every module, and every relative import resolves to a file', () => {
    expect(graph.length).toBeGreaterThan(100);
    expect(graph.filter((m) => m.unresolved.length > 0).map((m) => `${m.file}: ${m.unresolved.join(', ')}`)).toEqual([]);
  });

  it('has no import cycles (import, import type, export from and import() alike)', () => {
    const cycles = findCycles(graph).map((cycle) => cycle.join(' → '));
    expect(cycles, `import cycles under backend/src:\n${cycles.join('\n')}`).toEqual([]);
  });

  it('imports each vendor SDK only in its adapter folder', () => {
    expect(sdkViolations(graph)).toEqual([]);
  });

  it('keeps domain/, kube/ and risk/ pure', () => {
    expect(purityViolations(graph)).toEqual([]);
  });
});

// The checks above pass on a clean tree whatever they do; these show that each one catches what it is for.
describe('the import checks themselves', () => {
  function tree(files: Record<string, string>): ModuleImports[] {
    const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return readImportGraph(dir);
  }

  it('names a cycle made only of type imports and re-exports', () => {
    const modules = tree({
      'a/one.ts': "import type { T } from '../b/two.js';\nexport const x: T = 1;\n",
      'b/two.ts': "export type { U as T } from './three.js';\n",
      'b/three.ts': "import { x } from '../a/one.js';\nexport type U = typeof x;\n",
      'c/free.ts': "import { x } from '../a/one.js';\nexport const y = x;\n",
    });
    expect(findCycles(modules)).toEqual([['a/one.ts', 'b/two.ts', 'b/three.ts', 'a/one.ts']]);
  });

  it('names a cycle through a dynamic import and a folder index', () => {
    const modules = tree({
      'p/index.ts': "export { run } from './run.js';\n",
      'p/run.ts': "export async function run() { return (await import('../q/use.js')).use; }\n",
      'q/use.ts': "import { run } from '../p/index.js';\nexport const use = run;\n",
    });
    expect(findCycles(modules).map((c) => c.join(' → '))).toEqual(['p/index.ts → p/run.ts → q/use.ts → p/index.ts']);
  });

  it('reports an SDK imported outside its folder, and an impure import from a pure folder', () => {
    const modules = tree({
      'execute/run.ts': "import { execa } from 'execa';\nimport type { Queue } from 'bullmq';\nexport const r = [execa] as unknown as Queue[];\n",
      'cluster/ok.ts': "import { KubeConfig } from '@kubernetes/client-node';\nexport const k = KubeConfig;\n",
      'risk/score.ts': "import { k } from '../cluster/ok.js';\nimport type { D } from '../domain/d.js';\nexport const s: D = k;\n",
      'domain/d.ts': 'export type D = unknown;\n',
    });
    expect(sdkViolations(modules)).toEqual([
      'execute/run.ts imports bullmq, which only queue/ may import',
      'execute/run.ts imports execa, which only cluster/ may import',
    ]);
    expect(purityViolations(modules)).toEqual(['risk/score.ts imports cluster/ok.ts; risk/ may import only risk, domain, kube']);
  });
});
