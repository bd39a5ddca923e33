// The kubelet's container restart and image pull back-off: 10 s doubling to 5 min.

export const BACKOFF_INITIAL_SECONDS = 10;
export const BACKOFF_MAX_SECONDS = 300;
/** A container that ran this long (cluster seconds) starts its back-off from scratch. */
export const BACKOFF_RESET_SECONDS = 600;

/**
 * Delay in cluster seconds before restart number `step` (0-based) of a crashed container: the first restart is
 * immediate, then 10, 20, 40 ... capped at 300.
 */
export function restartDelaySeconds(step: number): number {
  if (step <= 0) return 0;
  return Math.min(BACKOFF_MAX_SECONDS, BACKOFF_INITIAL_SECONDS * 2 ** (step - 1));
}

/** Delay before pull retry number `step` (0-based) of a missing image: 10, 20, 40 ... capped at 300. */
export function pullRetryDelaySeconds(step: number): number {
  return Math.min(BACKOFF_MAX_SECONDS, BACKOFF_INITIAL_SECONDS * 2 ** Math.max(0, step));
}

/** "back-off 20s restarting failed container=C pod=P_NS(UID)" — the CrashLoopBackOff waiting message. */
export function crashLoopMessage(seconds: number, container: string, pod: { name: string; namespace: string; uid: string }): string {
  return `back-off ${formatDuration(seconds)} restarting failed container=${container} pod=${pod.name}_${pod.namespace}(${pod.uid})`;
}

/** Go's time.Duration String() for whole seconds: 10s, 1m20s, 5m0s. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${s % 60}s`;
}
