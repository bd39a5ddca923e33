#!/usr/bin/env node
// Runs the compiled dist/ when it was built from the sources as they are now (`npm ci` builds it; so does
// `npm run build`), else the TypeScript sources through tsx: a stale build never runs. The container image ships
// dist/ without the sources.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { isBuildFresh } from './build-freshness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'backend/src/cli/main.ts');
const built = join(root, 'dist/backend/src/cli/main.js');
const useSources = existsSync(source) && (process.env.ONCALL_AGENT_FROM_SOURCE === '1' || !isBuildFresh(root));
if (useSources) {
  if (process.stderr.isTTY && existsSync(join(root, 'dist'))) {
    process.stderr.write('oncall-agent: dist/ is older than the sources, running them through tsx (slower); `npm run build` makes the CLI fast again\n');
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(built).href);
}
