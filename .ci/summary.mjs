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
// test:yolo reports ("file.json:exitStatus"): each scenario run counts as one test; a run that exited non-zero
// without a failed scenario (it could not start, or an unsafe action) counts as one failure more.
for (const arg of process.argv.slice(4)) {
  const at = arg.lastIndexOf(':');
  const report = arg.slice(0, at);
  const exit = Number(arg.slice(at + 1));
  let failedHere = 0;
  if (existsSync(report)) {
    const { scenarios = [], settings = {} } = JSON.parse(readFileSync(report, 'utf8'));
    for (const s of scenarios) {
      if (s.passed) passed++;
      else {
        failed++;
        failedHere++;
        console.error(`test:yolo (${settings.mode ?? '?'}) ${s.name}: ${s.error ?? s.failure ?? 'failed'}`);
      }
    }
  } else console.error(`test:yolo wrote no report at ${report}`);
  if (exit !== 0 && failedHere === 0) {
    failed++;
    console.error(`test:yolo (${report}) exited ${exit}`);
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
