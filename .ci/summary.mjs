// Prints "N passed, N failed, N skipped" from vitest's JUnit report.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/junit.xml';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  console.error(`no test report at ${file}`);
  process.exit(1);
}
const xml = readFileSync(file, 'utf8');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const match of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
  const body = match[2] ?? '';
  if (/<(failure|error)\b/.test(body)) failed++;
  else if (/<skipped\b/.test(body)) skipped++;
  else passed++;
}
// vitest also exits non-zero for errors outside any test (an unhandled rejection, a file that fails to load): count
// that as one failure, so the summary line never reads green while the run was red.
const testStatus = Number(process.argv[3] ?? 0);
if (testStatus !== 0 && failed === 0) {
  failed = 1;
  console.error(`the test command exited ${testStatus} although every test case passed: see the errors above (unhandled errors are reported after the test list)`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
