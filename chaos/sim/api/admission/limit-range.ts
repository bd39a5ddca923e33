// LimitRange admission (the apiserver's LimitRanger plugin), the part that refuses: a container whose limit is over a
// Container-type LimitRange's max, or whose request is under its min → 403 Forbidden with the real message. Not
// modelled: defaulting (default/defaultRequest), maxLimitRequestRatio, Pod- and PVC-type limits. A container with no
// limit passes a max, as it would on a real cluster where the LimitRange defaults the missing limit to the max.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { forbidden } from '../../store/errors.js';
import type { SimObject } from '../../store/types.js';
import { parseQuantity } from '../quantity.js';
import type { WriteContext } from '../strategy.js';

/** The LimitRanger's complaints about one container against one Container-type limit item, in the apiserver's words. */
function containerViolations(container: any, item: any): string[] {
  const out: string[] = [];
  const limits: Record<string, string> = container?.resources?.limits ?? {};
  const requests: Record<string, string> = container?.resources?.requests ?? {};
  for (const [name, bound] of Object.entries<string>(item.min ?? {})) {
    const request = requests[name];
    if (request !== undefined && (parseQuantity(request) ?? 0) < (parseQuantity(bound) ?? 0)) {
      out.push(`minimum ${name} usage per Container is ${bound}, but request is ${request}`);
    }
  }
  for (const [name, bound] of Object.entries<string>(item.max ?? {})) {
    const limit = limits[name];
    if (limit !== undefined && (parseQuantity(limit) ?? 0) > (parseQuantity(bound) ?? 0)) {
      out.push(`maximum ${name} usage per Container is ${bound}, but limit is ${limit}`);
    }
  }
  return out;
}

/** Throws 403 Forbidden when a new pod breaks a Container-type LimitRange min/max in its namespace. */
export function admitLimitRange(object: SimObject, context: WriteContext): void {
  if (context.operation !== 'create') return;
  const namespace = object.metadata.namespace;
  if (!namespace) return;
  const ranges = context.reader.peekList('limitranges', namespace);
  if (!ranges.length) return;
  const containers = [...(object.spec?.initContainers ?? []), ...(object.spec?.containers ?? [])];
  const errors: string[] = [];
  for (const range of ranges) {
    for (const item of (range.spec?.limits ?? []) as any[]) {
      if (item?.type !== 'Container') continue;
      for (const c of containers) errors.push(...containerViolations(c, item));
    }
  }
  if (!errors.length) return;
  // The plugin aggregates its errors: one is printed bare, several as "[a, b]".
  const message = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  throw forbidden({ resource: context.info.resource, group: context.info.group }, object.metadata.name, message);
}
