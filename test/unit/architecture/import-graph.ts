// The import graph of backend/src, read with the TypeScript compiler's own pre-processor: every `import`,
// `import type`, `export … from` and dynamic `import()` specifier of every .ts file. Relative `.js` specifiers are
// resolved to the `.ts` file beside them (NodeNext style); bare specifiers are kept as package names.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ModuleImports {
  /** Path relative to the scanned root, with forward slashes (e.g. "execute/run-plan.ts"). */
  file: string;
  /** Files under the root this module imports (relative paths like `file`). */
  local: string[];
  /** Bare specifiers (packages and node: built-ins), as written. */
  external: string[];
  /** Relative specifiers that resolve to no file: a broken import, reported rather than ignored. */
  unresolved: string[];
}

export function listTsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveLocal(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts'), base];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile() && c.endsWith('.ts'));
}

export function readImportGraph(root: string): ModuleImports[] {
  const rel = (path: string) => relative(root, path).split('\\').join('/');
  return listTsFiles(root).map((path) => {
    const info = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
    const local: string[] = [];
    const external: string[] = [];
    const unresolved: string[] = [];
    for (const { fileName: specifier } of info.importedFiles) {
      if (!specifier.startsWith('.')) {
        external.push(specifier);
        continue;
      }
      const target = resolveLocal(path, specifier);
      if (target) local.push(rel(target));
      else unresolved.push(specifier);
    }
    return { file: rel(path), local: [...new Set(local)].sort(), external: [...new Set(external)].sort(), unresolved };
  });
}

/**
 * Every import cycle, each once, as the path that closes it ("a.ts → b.ts → a.ts"). Tarjan's strongly connected
 * components find the tangled sets; a DFS inside each names one concrete cycle per edge back to the walk's start.
 */
export function findCycles(graph: ModuleImports[]): string[][] {
  const edges = new Map(graph.map((m) => [m.file, m.local]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const strongConnect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) components.push(component.sort());
    }
  };
  for (const file of [...edges.keys()].sort()) if (!index.has(file)) strongConnect(file);

  // One shortest cycle through the first file of each tangled set names it well enough to start untangling.
  return components.map((component) => {
    const inside = new Set(component);
    const start = component[0];
    const previous = new Map<string, string>();
    const queue = [start];
    const seen = new Set([start]);
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of edges.get(v) ?? []) {
        if (!inside.has(w)) continue;
        if (w === start) {
          const path = [v];
          while (path[0] !== start) path.unshift(previous.get(path[0])!);
          return [...path, start];
        }
        if (!seen.has(w)) {
          seen.add(w);
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    return [...component, start];
  });
}
