// What every controller gets: the store to write, the shared cache to read, the clock and the event recorder.
import type { EventRecorder, EventType } from '../events/event-recorder.js';
import type { SimObject, SimStore } from '../store/types.js';
import type { SimClock } from './clock.js';
import type { ObjectCache } from './object-cache.js';

export interface ControllerContext {
  store: SimStore;
  cache: ObjectCache;
  clock: SimClock;
  recorder: EventRecorder;
}

/** A started controller. */
export interface Controller {
  stop(): void;
}

/** Records an event from a controller-manager component. */
export function controllerEvent(ctx: ControllerContext, component: string, object: SimObject, type: EventType, reason: string, message: string): void {
  ctx.recorder.record(object, type, reason, message, { component });
}

/** Splits "ns/name" keys. */
export function splitKey(key: string): [string | undefined, string] {
  const i = key.indexOf('/');
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
}

/** The key of the controller owner of `object` with the given kind, in the same namespace. */
export function controllerOwnerKey(object: SimObject, kind: string): string | undefined {
  const refs = object.metadata.ownerReferences;
  const ref = Array.isArray(refs) ? refs.find((r) => r?.controller && r.kind === kind && typeof r.name === 'string') : undefined;
  return ref ? `${object.metadata.namespace}/${ref.name}` : undefined;
}

export const isoTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Shallow-compares two status objects as JSON. */
export const sameStatus = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
