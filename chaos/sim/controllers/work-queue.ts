// A de-duplicating work queue drained in batches off the store's call stack (setImmediate), like client-go's
// workqueue: many events for one key within a tick cost one reconcile.

/** Keys are enqueued from watch callbacks and reconciled later, once per batch. */
export interface WorkQueue {
  add(key: string): void;
  stop(): void;
}

export function createWorkQueue(name: string, reconcile: (key: string) => void, onError = logError(name)): WorkQueue {
  const pending = new Set<string>();
  let scheduled: NodeJS.Immediate | undefined;
  let stopped = false;
  let draining = false;

  const drain = (): void => {
    scheduled = undefined;
    draining = true;
    // A bounded number of keys per batch keeps the event loop responsive for HTTP clients under load.
    let budget = 500;
    try {
      while (!stopped && pending.size > 0 && budget-- > 0) {
        const key = pending.values().next().value as string;
        pending.delete(key);
        try {
          reconcile(key);
        } catch (error) {
          onError(error, key);
        }
      }
    } finally {
      draining = false;
    }
    if (!stopped && pending.size > 0) schedule();
  };
  const schedule = (): void => {
    if (!scheduled && !stopped) scheduled = setImmediate(drain);
  };

  return {
    add: (key) => {
      if (stopped) return;
      pending.add(key);
      if (!draining) schedule();
      else schedule();
    },
    stop: () => {
      stopped = true;
      if (scheduled) clearImmediate(scheduled);
      pending.clear();
    },
  };
}

function logError(name: string) {
  return (error: unknown, key: string): void => {
    console.error(`kube-sim: ${name} failed to reconcile ${key}:`, error instanceof Error ? error.message : error);
  };
}

/**
 * Schedules `queue.add(key)` after a delay: client-go's AddAfter. A key already waiting is not scheduled twice,
 * unless the new delay ends sooner (a shortened progress deadline must not wait for an older, longer timer).
 */
export function createRequeue(queue: WorkQueue, afterReal: (ms: number, fn: () => void) => unknown, now: () => number = Date.now): (key: string, ms: number) => void {
  const dueAt = new Map<string, number>();
  return (key, ms) => {
    const due = now() + ms;
    const pending = dueAt.get(key);
    if (pending !== undefined && pending <= due) return;
    dueAt.set(key, due);
    afterReal(ms, () => {
      if (dueAt.get(key) !== due) return;
      dueAt.delete(key);
      queue.add(key);
    });
  };
}
