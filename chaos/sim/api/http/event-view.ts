// events.k8s.io/v1 Events are a view of the core/v1 Events in the store (one storage, two API shapes), as on a real
// server: reads convert core → events.k8s.io, writes convert back.

/* eslint-disable @typescript-eslint/no-explicit-any */

import type { SimObject } from '../../store/types.js';
import type { ResourceInfo } from '../resource-types.js';
import type { FieldRequirement } from '../selectors.js';

export function isEventsView(info: ResourceInfo): boolean {
  return info.group === 'events.k8s.io' && info.resource === 'events';
}

/** core/v1 Event → events.k8s.io/v1 Event. */
export function toEventsV1(event: SimObject): SimObject {
  const e = event as any;
  const out: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
  };
  if (e.series) out.series = e.series;
  if (e.reportingComponent) out.reportingController = e.reportingComponent;
  if (e.reportingInstance) out.reportingInstance = e.reportingInstance;
  if (e.action) out.action = e.action;
  if (e.reason) out.reason = e.reason;
  out.regarding = e.involvedObject ?? {};
  if (e.related) out.related = e.related;
  if (e.message) out.note = e.message;
  if (e.type) out.type = e.type;
  if (e.source && Object.keys(e.source).length) out.deprecatedSource = e.source;
  if (e.firstTimestamp) out.deprecatedFirstTimestamp = e.firstTimestamp;
  if (e.lastTimestamp) out.deprecatedLastTimestamp = e.lastTimestamp;
  if (e.count) out.deprecatedCount = e.count;
  return out as SimObject;
}

/** events.k8s.io/v1 Event → core/v1 Event. */
export function fromEventsV1(body: Record<string, any>): SimObject {
  const out: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: body.metadata ?? {},
    involvedObject: body.regarding ?? {},
  };
  const copy: Array<[string, string]> = [
    ['reason', 'reason'], ['note', 'message'], ['type', 'type'], ['action', 'action'], ['related', 'related'], ['series', 'series'],
    ['eventTime', 'eventTime'], ['reportingController', 'reportingComponent'], ['reportingInstance', 'reportingInstance'],
    ['deprecatedSource', 'source'], ['deprecatedFirstTimestamp', 'firstTimestamp'], ['deprecatedLastTimestamp', 'lastTimestamp'],
    ['deprecatedCount', 'count'],
  ];
  for (const [from, to] of copy) if (body[from] !== undefined && body[from] !== null) out[to] = body[from];
  return out as SimObject;
}

/** Field selectors on the events.k8s.io view name `regarding.*`; the store indexes `involvedObject.*`. */
export function toCoreEventFields(fields: FieldRequirement[]): FieldRequirement[] {
  return fields.map((f) => ({
    ...f,
    field: f.field.startsWith('regarding.') ? `involvedObject.${f.field.slice('regarding.'.length)}` : f.field === 'reportingController' ? 'reportingComponent' : f.field,
  }));
}
