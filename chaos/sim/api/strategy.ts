// Per-resource write strategy: defaulting, validation and admission, looked up by store key.
// The store calls these on every create/update, so controller writes are treated exactly like client writes.

import type { FieldError } from '../store/errors.js';
import type { SimObject } from '../store/types.js';
import type { ResourceInfo } from './resource-types.js';

/** Read access the strategies need (quota sums pods, eviction reads PDBs); never returns copies. */
export interface StoreReader {
  peek(resource: string, namespace: string | undefined, name: string): SimObject | undefined;
  peekList(resource: string, namespace?: string): readonly SimObject[];
}

export interface WriteContext {
  operation: 'create' | 'update';
  info: ResourceInfo;
  old?: SimObject;
  reader: StoreReader;
  /** Set for writes that skip admission (controllers writing status). Also relaxes client-only immutability rules. */
  trusted: boolean;
}

export interface ResourceStrategy {
  /** Fill defaults in place, as the real defaulting + mutating admission do. */
  applyDefaults?(object: SimObject, context: WriteContext): void;
  /** Field errors → 422 Invalid. */
  validate?(object: SimObject, context: WriteContext): FieldError[];
  /** Validating admission (quota): throws SimApiError. Skipped with skipAdmission. */
  admit?(object: SimObject, context: WriteContext): void;
}
