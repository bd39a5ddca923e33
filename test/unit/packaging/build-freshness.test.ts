// bin/oncall-agent.js runs dist/ only when it was built from the sources as they are: an edited, added or deleted
// source makes it stale (and the bin then runs the sources through tsx).
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the bin, without type declarations
import { isBuildFresh, STAMP } from '../../../bin/build-freshness.js';

function checkout(): { root: string; stamp(atMs: number): void; touch(path: string, atMs: number): void } {
  const root = mkdtempSync(join(tmpdir(), 'freshness-'));
  for (const dir of ['backend/src/cli', 'chaos/sim', 'dist']) mkdirSync(join(root, dir), { recursive: true });
  const touch = (path: string, atMs: number) => {
    writeFileSync(join(root, path), 'x');
    utimesSync(join(root, path), atMs / 1000, atMs / 1000);
  };
  const setDirTimes = (atMs: number) => {
    for (const dir of ['backend', 'backend/src', 'backend/src/cli', 'chaos', 'chaos/sim']) utimesSync(join(root, dir), atMs / 1000, atMs / 1000);
  };
  touch('backend/src/cli/main.ts', 1_000_000);
  touch('chaos/sim/index.ts', 1_000_000);
  touch('tsconfig.json', 1_000_000);
  setDirTimes(1_000_000);
  return { root, touch, stamp: (atMs) => writeFileSync(join(root, STAMP), JSON.stringify({ startedAtMs: atMs })) };
}

describe('isBuildFresh', () => {
  it('no stamp (never built, or the build failed): stale', () => {
    const c = checkout();
    expect(isBuildFresh(c.root)).toBe(false);
    rmSync(c.root, { recursive: true });
  });

  it('built after the last change: fresh; a source edited since: stale', () => {
    const c = checkout();
    c.stamp(2_000_000);
    expect(isBuildFresh(c.root)).toBe(true);
    c.touch('backend/src/cli/main.ts', 3_000_000);
    expect(isBuildFresh(c.root)).toBe(false);
    rmSync(c.root, { recursive: true });
  });

  it('a file added or deleted since the build (the directory changes): stale', () => {
    const c = checkout();
    c.stamp(2_000_000);
    writeFileSync(join(c.root, 'chaos/sim/new-file.ts'), 'x'); // now: the directory's mtime moves too
    expect(isBuildFresh(c.root)).toBe(false);
    rmSync(c.root, { recursive: true });
  });

  it('a compiler setting changed since: stale', () => {
    const c = checkout();
    c.stamp(2_000_000);
    c.touch('tsconfig.json', 2_500_000);
    expect(isBuildFresh(c.root)).toBe(false);
    rmSync(c.root, { recursive: true });
  });
});
