// TEST HOOK, not a feature: the fault tests kill the worker at an exact point of a write with
// ONCALL_TEST_CRASH_AT=<boundary>, deterministically instead of with sleeps. The variable is read here and nowhere
// else; unset (always, outside the fault tests) this does nothing.
export type CrashBoundary = 'after-snapshot' | 'after-write' | 'during-verification' | 'during-rollback';

const crashAt = process.env.ONCALL_TEST_CRASH_AT;

/** SIGKILLs this process when the test hook names this boundary: no cleanup runs, as with a real kill -9. */
export function testHookCrashAt(boundary: CrashBoundary): void {
  if (crashAt === boundary) process.kill(process.pid, 'SIGKILL');
}
