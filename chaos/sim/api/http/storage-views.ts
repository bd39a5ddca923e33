// Resources served in a second API shape over one storage (events.k8s.io/v1 Events over core Events, autoscaling/v1
// HPAs over autoscaling/v2): reads convert the stored object to the view, writes convert the body back.

import type { SimObject } from '../../store/types.js';
import type { ResourceInfo } from '../resource-types.js';
import { fromEventsV1, isEventsView, toEventsV1 } from './event-view.js';
import { fromHpaV1, toHpaV1 } from './hpa-v1-view.js';

export interface StorageView {
  toView(object: SimObject): SimObject;
  fromView(body: Record<string, unknown>): SimObject;
}

const EVENTS_V1: StorageView = { toView: toEventsV1, fromView: fromEventsV1 };
const HPA_V1: StorageView = { toView: toHpaV1, fromView: fromHpaV1 };

/** The conversion for a request's resource, or undefined when it is served in its storage shape. */
export function storageViewOf(info: ResourceInfo): StorageView | undefined {
  if (isEventsView(info)) return EVENTS_V1;
  if (info.group === 'autoscaling' && info.version === 'v1' && info.resource === 'horizontalpodautoscalers') return HPA_V1;
  return undefined;
}
