import type { ClusterReader } from '../domain/ports.js';

/**
 * A ClusterReader that answers repeated identical reads from memory for the life of one diagnosis: target
 * resolution, the context budget and the tools ask for the same deployment and pod list several times. In-flight
 * promises are shared too, so parallel identical reads cost one request. Failures are not cached.
 */
export function createCachedReader(reader: ClusterReader): ClusterReader {
  const cache = new Map<string, Promise<unknown>>();
  function memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit) return hit as Promise<T>;
    const promise = load();
    cache.set(key, promise);
    promise.catch(() => cache.delete(key));
    return promise;
  }
  return {
    get: (kind, namespace, name) => memo(`get ${kind} ${namespace ?? ''} ${name}`, () => reader.get(kind, namespace, name)),
    list: (kind, namespace, options) => memo(`list ${kind} ${namespace ?? '*'} ${JSON.stringify(options ?? {})}`, () => reader.list(kind, namespace, options)),
    readLog: (namespace, pod, options) => memo(`log ${namespace} ${pod} ${JSON.stringify(options ?? {})}`, () => reader.readLog(namespace, pod, options)),
    ...(reader.listSecretNames ? { listSecretNames: (namespace: string) => memo(`secret names ${namespace}`, () => reader.listSecretNames!(namespace)) } : {}),
  };
}
