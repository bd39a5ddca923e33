// TEST HOOKS, not a feature: the fault tests act at an exact point of a write, deterministically instead of with
// sleeps. ONCALL_TEST_CRASH_AT=<boundary> SIGKILLs the process there; ONCALL_TEST_PAUSE_AT=<boundary> holds the run
// there (the first time only) until the test sends SIGUSR2, so the test can break a dependency (kill Redis, take the
// API server down) while the worker is known to be inside the run. The variables are read here and nowhere else;
// unset (always, outside the fault tests) these do nothing.
export type CrashBoundary = 'after-snapshot' | 'after-write' | 'during-verification' | 'during-rollback';

const crashAt = process.env.ONCALL_TEST_CRASH_AT;
const pauseAt = process.env.ONCALL_TEST_PAUSE_AT;
let paused = false;

/** SIGKILLs this process when the test hook names this boundary: no cleanup runs, as with a real kill -9. */
function testHookCrashAt(boundary: CrashBoundary): void {
  if (crashAt === boundary) process.kill(process.pid, 'SIGKILL');
}

/**
 * The crash hook, then the pause hook: when ONCALL_TEST_PAUSE_AT names this boundary, announces
 * `ONCALL_TEST_PAUSED <boundary>` on stderr and waits for SIGUSR2 (once per process; later runs pass straight through).
 */
export async function testHookAt(boundary: CrashBoundary): Promise<void> {
  testHookCrashAt(boundary);
  if (pauseAt !== boundary || paused) return;
  paused = true;
  await new Promise<void>((resolve) => {
    process.once('SIGUSR2', () => resolve());
    process.stderr.write(`ONCALL_TEST_PAUSED ${boundary}\n`);
  });
}
