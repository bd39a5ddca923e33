// Small helpers for building and rewriting stored objects without fighting SimObject's required metadata fields.
import type { SimObject, SimStore } from '../store/types.js';

export type NewMetadata = Partial<SimObject['metadata']> & { name: string };

/** An object to hand to store.create: the store fills uid, resourceVersion and creationTimestamp. */
export function newObject(apiVersion: string, kind: string, metadata: NewMetadata, rest: Record<string, unknown>): SimObject {
  return { apiVersion, kind, metadata, ...rest } as unknown as SimObject;
}

/** A copy with resourceVersion removed: an unconditional write (last writer wins), for status the controller owns. */
export function unconditional(object: SimObject, changes: Partial<SimObject> = {}): SimObject {
  const { resourceVersion: _rv, ...metadata } = object.metadata;
  return { ...object, ...changes, metadata: { ...metadata, ...(changes.metadata ?? {}) } } as unknown as SimObject;
}

/** The HTTP status code carried by a SimApiError-like error, if any. */
export function errorCode(error: unknown): number | undefined {
  const e = error as { code?: unknown; status?: { code?: unknown } };
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.status?.code === 'number') return e.status.code;
  return undefined;
}

/** Writes the status a controller owns (last writer wins); an object deleted meanwhile is not an error. */
export function writeOwnStatus(store: SimStore, resource: string, object: SimObject, status: unknown): void {
  try {
    store.updateStatus(resource, unconditional(object, { status } as Partial<SimObject>), { skipAdmission: true });
  } catch (error) {
    if (errorCode(error) !== 404) throw error;
  }
}
