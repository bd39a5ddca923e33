// meta.k8s.io PartialObjectMetadata(List) responses: what a metadata-only client (client-go's metadata client, the
// garbage collector, our names-only Secret lister) asks for with
// `Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`. Each item is the object's metadata
// alone, typed PartialObjectMetadata; never its spec, data or status.
import type { MemoryStore } from '../../store/memory-store.js';
import type { SimObject } from '../../store/types.js';
import { notAcceptable } from '../../store/errors.js';

export interface PartialAs {
  kind: 'PartialObjectMetadata' | 'PartialObjectMetadataList';
  /** meta.k8s.io/v1 or meta.k8s.io/v1beta1. */
  apiVersion: string;
}

/**
 * The metadata-only form the Accept header asks for, if the first media type we can serve is one. A Table or plain
 * JSON first means undefined (the caller serves those); meta.k8s.io is the only group with these kinds.
 */
export function wantsPartialMetadata(accept: string | undefined): PartialAs | undefined {
  for (const part of (accept ?? '').split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string | undefined]),
    );
    const as = params.get('as');
    // The first acceptable media type wins: plain JSON (or anything) before the metadata form means plain JSON.
    if (!as) {
      if (/^\s*(application\/json|\*\/\*|application\/\*)\s*$/i.test(part.split(';')[0])) return undefined;
      continue;
    }
    if ((as !== 'PartialObjectMetadata' && as !== 'PartialObjectMetadataList') || params.get('g') !== 'meta.k8s.io') return undefined;
    const version = params.get('v') === 'v1beta1' ? 'v1beta1' : 'v1';
    return { kind: as, apiVersion: `meta.k8s.io/${version}` };
  }
  return undefined;
}

const goType = (o: { apiVersion?: string; kind?: string }, suffix = '') => `*${String(o.apiVersion ?? 'v1').split('/').pop()}.${o.kind}${suffix}`;

export function partialObjectJson(store: MemoryStore, object: SimObject, as: PartialAs): string {
  if (as.kind !== 'PartialObjectMetadata') throw notAcceptable(`you requested PartialObjectMetadataList, but the requested object is not a list (${goType(object)})`);
  return `{"kind":"PartialObjectMetadata","apiVersion":${JSON.stringify(as.apiVersion)},"metadata":${store.metadataJsonOf(object)}}`;
}

export function partialListJson(store: MemoryStore, objects: SimObject[], as: PartialAs, listMeta: Record<string, unknown>, listOf: { apiVersion: string; kind: string }): string {
  if (as.kind !== 'PartialObjectMetadataList') throw notAcceptable(`you requested PartialObjectMetadata, but the requested object is a list (${goType(listOf, 'List')})`);
  const items = objects.map((o) => `{"kind":"PartialObjectMetadata","apiVersion":${JSON.stringify(as.apiVersion)},"metadata":${store.metadataJsonOf(o)}}`).join(',');
  return `{"kind":"PartialObjectMetadataList","apiVersion":${JSON.stringify(as.apiVersion)},"metadata":${JSON.stringify(listMeta)},"items":[${items}]}`;
}
