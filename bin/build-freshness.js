// Whether dist/ was compiled from the sources as they are now. Shared by bin/oncall-agent.js (run dist when fresh)
// and scripts/build.mjs (which writes the stamp). Plain JavaScript: it runs before any TypeScript can.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the build compiles (tsconfig.build.json) and the files that change how it compiles. */
export const BUILD_INPUTS = ['backend/src', 'chaos/sim', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
export const STAMP = 'dist/.build-stamp.json';

/** The newest modification time under the inputs; directories count, so an added or deleted file makes dist stale. */
export function newestInputMtime(root) {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  for (const input of BUILD_INPUTS) visit(join(root, input));
  return newest;
}

/** True when the stamp records a successful build started after the last change to any input. */
export function isBuildFresh(root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
  } catch {
    return false;
  }
  return typeof stamp?.startedAtMs === 'number' && newestInputMtime(root) <= stamp.startedAtMs;
}
