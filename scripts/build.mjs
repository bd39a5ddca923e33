// `npm run build` (and `prepare`, on `npm ci` / `npm install`): compile to dist/ and stamp the build, so
// bin/oncall-agent.js runs it instead of compiling the sources on every call.
// --if-possible (prepare): a failed or impossible build only warns, so installing never fails because of it; the
// CLI then runs the sources through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP } from '../bin/build-freshness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const soft = process.argv.includes('--if-possible');
const fail = (message) => {
  console.error(`oncall-agent build: ${message}${soft ? '; the CLI will run the TypeScript sources through tsx (slower) until `npm run build` succeeds' : ''}`);
  process.exit(soft ? 0 : 1);
};

if (!existsSync(join(root, 'backend/src'))) process.exit(0); // an installed package without sources: nothing to build
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  fail('typescript is not installed (dev dependencies omitted)');
}
// Taken before compiling: an edit made while tsc runs leaves the build stale, as it should.
const startedAtMs = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) fail(`tsc failed (exit ${result.status ?? result.signal})`);
mkdirSync(dirname(join(root, STAMP)), { recursive: true });
writeFileSync(join(root, STAMP), `${JSON.stringify({ startedAtMs, builtAt: new Date().toISOString() })}\n`);
