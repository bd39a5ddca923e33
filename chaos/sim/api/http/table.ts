// meta.k8s.io/v1 Table responses for `kubectl get` (Accept: application/json;as=Table;v=v1;g=meta.k8s.io).

import type { MemoryStore } from '../../store/memory-store.js';
import type { SimObject } from '../../store/types.js';
import { printerFor } from '../printers/printers.js';

export type IncludeObject = 'None' | 'Object' | 'Metadata';

/** True when the Accept header asks for a Table (kubectl get; -o json asks for plain JSON). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => /as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}

export function parseIncludeObject(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

/** Converts a stored object to the API shape requested (events.k8s.io/v1 Events); identity when undefined. */
export type ObjectView = ((object: SimObject) => SimObject) | undefined;

function rowObject(store: MemoryStore, object: SimObject, includeObject: IncludeObject, view: ObjectView): string {
  if (includeObject === 'None') return 'null';
  if (includeObject === 'Object') return view ? JSON.stringify(view(object)) : store.jsonOf(object);
  return `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${store.metadataJsonOf(object)}}`;
}

function rowJson(store: MemoryStore, resource: string, object: SimObject, includeObject: IncludeObject, now: number, view: ObjectView): string {
  const printed = printerFor(resource).row(object, now);
  const conditions = printed.conditions ? `,"conditions":${JSON.stringify(printed.conditions)}` : '';
  return `{"cells":${JSON.stringify(printed.cells)}${conditions},"object":${rowObject(store, object, includeObject, view)}}`;
}

export interface TableListOptions {
  includeObject: IncludeObject;
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
  now: number;
  view?: ObjectView;
}

export function renderTableList(store: MemoryStore, resource: string, objects: readonly SimObject[], options: TableListOptions): string {
  const metadata: Record<string, unknown> = { resourceVersion: options.resourceVersion };
  if (options.continueToken) metadata.continue = options.continueToken;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  const rows = objects.map((o) => rowJson(store, resource, o, options.includeObject, options.now, options.view));
  return `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(metadata)},"columnDefinitions":${JSON.stringify(
    printerFor(resource).columns,
  )},"rows":[${rows.join(',')}]}`;
}

/** One-row Table for a watch event; only the first event of a stream carries the column definitions. */
export function renderTableWatchObject(
  store: MemoryStore,
  resource: string,
  object: SimObject,
  options: { includeObject: IncludeObject; withColumns: boolean; now: number; view?: ObjectView },
): string {
  const columns = options.withColumns ? JSON.stringify(printerFor(resource).columns) : 'null';
  const metadata = JSON.stringify({ resourceVersion: object.metadata.resourceVersion });
  return `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${metadata},"columnDefinitions":${columns},"rows":[${rowJson(
    store,
    resource,
    object,
    options.includeObject,
    options.now,
    options.view,
  )}]}`;
}
