// The real apiserver decodes resource.Quantity fields while reading the body, so a malformed quantity is a
// 400 BadRequest decoding error ("... cannot be handled as a Pod: quantities must match ..."), not a 422.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { parseQuantity } from '../quantity.js';

const FORMAT = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** resource.ParseQuantity's error for a JSON value, or undefined when it decodes (numbers always do). */
export function quantityDecodeError(value: unknown): string | undefined {
  if (typeof value === 'number' || value === null || value === undefined) return undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const match = FORMAT.exec(text);
  if (!match) return QUANTITY_FORMAT_ERROR;
  if (parseQuantity(text) !== undefined) return undefined;
  return Number.isNaN(Number(match[1])) ? 'unable to parse numeric part of quantity' : "unable to parse quantity's suffix";
}

function firstInMap(map: unknown): string | undefined {
  if (!map || typeof map !== 'object') return undefined;
  for (const value of Object.values(map)) {
    const error = quantityDecodeError(value);
    if (error) return error;
  }
  return undefined;
}

function podSpecError(spec: any): string | undefined {
  for (const list of [spec?.containers, spec?.initContainers, spec?.ephemeralContainers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      const error = firstInMap(c?.resources?.limits) ?? firstInMap(c?.resources?.requests);
      if (error) return error;
    }
  }
  return firstInMap(spec?.overhead);
}

/** The first quantity in `body` that the real decoder would reject, for the kinds whose quantities we model. */
export function findQuantityDecodeError(kind: string, body: any): string | undefined {
  switch (kind) {
    case 'Pod':
      return podSpecError(body?.spec);
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      return podSpecError(body?.spec?.template?.spec);
    case 'ResourceQuota':
      return firstInMap(body?.spec?.hard);
    case 'PersistentVolumeClaim':
      return firstInMap(body?.spec?.resources?.requests) ?? firstInMap(body?.spec?.resources?.limits);
    default:
      return undefined;
  }
}
