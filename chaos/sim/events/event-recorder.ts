// Records core/v1 Events the way client-go's recorder does: one Event per distinct (object, reason, message,
// source), with repeats folded into count/lastTimestamp instead of new objects. Components on the events.k8s.io
// recorder (the scheduler) write the other shape, as read through core/v1: no source or first/lastTimestamp, a
// microsecond eventTime, action and reportingInstance, and repeats in `series` (as captured from a real kube-apiserver v1.26 for a crash-looping pod).
import { newObject, unconditional } from '../controllers/sim-object.js';
import type { SimObject, SimStore } from '../store/types.js';

export type EventType = 'Normal' | 'Warning';

/** Where an event comes from: the component (kubelet, default-scheduler, deployment-controller) and host. */
export interface EventSource {
  component: string;
  host?: string;
  /** Set for events.k8s.io recorders (the scheduler's "Binding"/"Scheduling"): switches to the new-API shape. */
  action?: string;
  reportingInstance?: string;
}

/** Writes Events about objects; never throws (an event that cannot be written is dropped, as in client-go). */
export interface EventRecorder {
  record(object: SimObject, type: EventType, reason: string, message: string, source: EventSource, fieldPath?: string): void;
}

interface Aggregate {
  namespace: string;
  name: string;
  count: number;
}

const MAX_TRACKED = 20_000;

export function createEventRecorder(store: SimStore, now: () => number = Date.now): EventRecorder {
  const seen = new Map<string, Aggregate>();
  // MemoryStore.peek avoids a deep copy per repeated event; any SimStore works through get().
  const peek = (store as unknown as { peek?: SimStore['get'] }).peek;
  const read = (namespace: string, name: string): SimObject | undefined =>
    peek ? peek.call(store, 'events', namespace, name) : store.get('events', namespace, name);
  let sequence = 0;

  return {
    record(object, type, reason, message, source, fieldPath) {
      const namespace = object.metadata.namespace || 'default';
      const involvedObject: Record<string, unknown> = {
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        uid: object.metadata.uid,
        apiVersion: object.apiVersion,
        resourceVersion: object.metadata.resourceVersion,
      };
      if (!object.metadata.namespace) delete involvedObject.namespace;
      if (fieldPath) involvedObject.fieldPath = fieldPath;
      const key = [source.component, source.host ?? '', object.kind, namespace, object.metadata.name, object.metadata.uid, fieldPath ?? '', type, reason, message].join('\u0000');
      const timestamp = new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      try {
        const previous = seen.get(key);
        const existing = previous ? read(previous.namespace, previous.name) : undefined;
        if (previous && existing && source.action) {
          const series = existing.series as { count?: number } | undefined;
          const count = (series?.count ?? 1) + 1;
          store.update('events', unconditional(existing, { series: { count, lastObservedTime: microTime(now()) } }), { skipAdmission: true });
          return;
        }
        if (previous && existing) {
          previous.count = (Number(existing.count) || previous.count) + 1;
          seen.delete(key);
          seen.set(key, previous);
          store.update('events', unconditional(existing, { count: previous.count, lastTimestamp: timestamp }), { skipAdmission: true });
          return;
        }
        const name = `${object.metadata.name}.${(BigInt(now()) * 1_000_000n + BigInt(sequence++ % 1_000_000)).toString(16)}`;
        const body = source.action
          ? {
              involvedObject,
              reason,
              message,
              source: {},
              firstTimestamp: null,
              lastTimestamp: null,
              type,
              eventTime: microTime(now()),
              action: source.action,
              reportingComponent: source.component,
              reportingInstance: source.reportingInstance ?? source.component,
            }
          : undefined;
        store.create(
          'events',
          newObject('v1', 'Event', { name, namespace }, body ?? {
            involvedObject,
            reason,
            message,
            source: source.host ? { component: source.component, host: source.host } : { component: source.component },
            firstTimestamp: timestamp,
            lastTimestamp: timestamp,
            count: 1,
            type,
            eventTime: null,
            reportingComponent: source.component,
            reportingInstance: source.host ?? '',
          }),
          { skipAdmission: true },
        );
        seen.set(key, { namespace, name, count: 1 });
        if (seen.size > MAX_TRACKED) seen.delete(seen.keys().next().value as string);
      } catch {
        // Events are best effort, exactly like the real recorder: a dropped event never breaks a controller.
      }
    },
  };
}

/** metav1.MicroTime as the server writes it: six fractional digits. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
