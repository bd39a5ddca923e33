// `npx oncall-agent serve` runs us under `npm exec` → `sh -c` → node. On SIGTERM npm signals the shell, which dies
// without passing the signal on, and the daemon would live on holding its port. So when our parent process goes away
// we stop as if we had been sent SIGTERM (which runs the graceful shutdown). Ctrl-C reaches us directly: a terminal
// signals the whole foreground process group.

/** Checks every intervalMs whether the parent changed; the timer never keeps the process alive. */
export function stopWhenOrphaned(options: { intervalMs?: number; onOrphaned?: () => void } = {}): () => void {
  const parent = process.ppid;
  // Started by init, a container runtime (PID 1 or none) or a subreaper-less shell: nothing to watch.
  if (parent <= 1) return () => undefined;
  const onOrphaned = options.onOrphaned ?? (() => process.kill(process.pid, 'SIGTERM'));
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, options.intervalMs ?? 500);
  timer.unref();
  return () => clearInterval(timer);
}
