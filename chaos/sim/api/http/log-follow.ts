// `kubectl logs -f`: the kubelet keeps the stream open while the container runs and ends it when the container
// stops (a restart gives a new containerID) or the pod goes away; kube-sim's log lines are all written at start.

/* eslint-disable @typescript-eslint/no-explicit-any */

import type { SimObject } from '../../store/types.js';
import type { HandlerContext } from './context.js';

const runningId = (pod: SimObject, container: string): string | undefined => {
  const statuses: any[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const status = statuses.find((s) => s.name === container);
  return status?.state?.running ? String(status.containerID ?? '') : undefined;
};

/** Sends `body`; while `container` is running the response stays open until it stops or the client leaves. */
export function sendFollowedLog(ctx: HandlerContext, pod: SimObject, container: string, body: string): void {
  const id = runningId(pod, container);
  ctx.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  if (id === undefined) {
    ctx.res.end(body);
    return;
  }
  ctx.res.write(body);
  let open = true;
  const finish = (): void => {
    if (!open) return;
    open = false;
    unsubscribe();
    ctx.res.end();
  };
  const unsubscribe = ctx.store.subscribeShared((entry) => {
    if (entry.resource !== 'pods' || entry.object.metadata.uid !== pod.metadata.uid) return;
    if (entry.type === 'DELETED' || runningId(entry.object, container) !== id) finish();
  });
  ctx.res.on('close', finish);
}
