// The kubelet's getPhase: a pod's phase from its container statuses and restart policy.

export interface ContainerStatusLike {
  state?: { waiting?: unknown; running?: unknown; terminated?: { exitCode: number } };
  lastState?: { terminated?: { exitCode: number } };
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export function getPodPhase(
  restartPolicy: string | undefined,
  initStatuses: ContainerStatusLike[],
  statuses: ContainerStatusLike[],
  expectedContainers: number,
): PodPhase {
  const policy = restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const s of initStatuses) {
    const t = s.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (t) failedInit++;
    else if (s.state?.waiting && s.lastState?.terminated && s.lastState.terminated.exitCode !== 0) failedInit++;
    else pendingInit++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit > 0 || failedInit > 0) return 'Pending';

  let unknown = Math.max(0, expectedContainers - statuses.length);
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of statuses) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
