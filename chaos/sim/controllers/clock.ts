// One place that turns "cluster seconds" into real time, and owns every timer the controllers start, so that
// stop() leaves nothing behind and timers firing close together run in one batch (fewer store writes per tick).

/** Cancels a scheduled callback; safe to call twice. */
export type Cancel = () => void;

/** Simulated time for kube-sim's controllers and kubelets. */
export interface SimClock {
  readonly speed: number;
  /** Real wall-clock ms (timestamps written to objects are real). */
  now(): number;
  /** Real milliseconds that `clusterSeconds` of simulated time take. */
  toRealMs(clusterSeconds: number): number;
  /** Run `fn` after `clusterSeconds` of simulated time. */
  after(clusterSeconds: number, fn: () => void): Cancel;
  /** Run `fn` after `ms` real milliseconds (heartbeats are not scaled). */
  afterReal(ms: number, fn: () => void): Cancel;
  /** Run `fn` every `clusterSeconds` of simulated time until cancelled. */
  every(clusterSeconds: number, fn: () => void): Cancel;
  everyReal(ms: number, fn: () => void): Cancel;
  /** Cancel every pending timer; later calls schedule nothing. */
  stop(): void;
}

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Timers due within this many ms of each other fire in the same batch. */
const GRANULARITY_MS = 5;

export function createSimClock(speed: number, onError: (error: unknown) => void = defaultOnError): SimClock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const heap: Entry[] = [];
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let stopped = false;

  const arm = (): void => {
    if (stopped) return;
    const first = heap[0];
    if (!first) return;
    if (timer && timerAt <= first.at) return;
    if (timer) clearTimeout(timer);
    timerAt = first.at;
    timer = setTimeout(fire, Math.max(0, first.at - Date.now()));
    timer.unref?.();
  };

  const fire = (): void => {
    timer = undefined;
    timerAt = Infinity;
    const due = Date.now() + GRANULARITY_MS;
    while (!stopped && heap.length > 0 && heap[0].at <= due) {
      const entry = pop(heap);
      if (entry.cancelled) continue;
      try {
        entry.fn();
      } catch (error) {
        onError(error);
      }
    }
    arm();
  };

  const schedule = (ms: number, fn: () => void): Cancel => {
    if (stopped) return () => undefined;
    const entry: Entry = { at: Date.now() + Math.max(0, ms), seq: seq++, fn, cancelled: false };
    push(heap, entry);
    arm();
    return () => {
      entry.cancelled = true;
    };
  };

  const repeat = (ms: number, fn: () => void): Cancel => {
    let cancelled = false;
    let current: Cancel = () => undefined;
    const tick = (): void => {
      if (cancelled) return;
      current = schedule(ms, tick);
      fn();
    };
    current = schedule(ms, tick);
    return () => {
      cancelled = true;
      current();
    };
  };

  const toRealMs = (clusterSeconds: number): number => (clusterSeconds * 1000) / speed;
  return {
    speed,
    now: () => Date.now(),
    toRealMs,
    after: (s, fn) => schedule(toRealMs(s), fn),
    afterReal: schedule,
    every: (s, fn) => repeat(toRealMs(s), fn),
    everyReal: repeat,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      heap.length = 0;
    },
  };
}

function defaultOnError(error: unknown): void {
  console.error('kube-sim: controller timer failed:', error);
}

const before = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

function push(heap: Entry[], entry: Entry): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function pop(heap: Entry[]): Entry {
  const top = heap[0];
  const last = heap.pop() as Entry;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (r < heap.length && before(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
  return top;
}
