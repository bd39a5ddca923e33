// Shared helpers for the server-side printers.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { translateTimestampSince } from './age.js';
import { AGE_DESCRIPTION, NAME_DESCRIPTION } from './captured-columns.js';
import type { ColumnDefinition, PrintedRow } from './table-types.js';

export type RowPrinter = (object: any, now: number) => PrintedRow;

export interface Printer {
  columns: ColumnDefinition[];
  row: RowPrinter;
}

export const col = (name: string, type: string, description: string, priority = 0, format = ''): ColumnDefinition => ({
  name,
  type,
  format,
  description,
  priority,
});
export const nameCol = col('Name', 'string', NAME_DESCRIPTION, 0, 'name');
export const ageCol = col('Age', 'string', AGE_DESCRIPTION);
export const containersCol = col('Containers', 'string', 'Names of each container in the template.', 1);
export const imagesCol = col('Images', 'string', 'Images referenced by each container in the template.', 1);

export const age = (o: any, now: number) => translateTimestampSince(o?.metadata?.creationTimestamp, now);
export const containerCells = (spec: any): [string, string] => {
  const containers: any[] = spec?.template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(',')];
};
export const orNone = (value: string | undefined | null) => (value ? value : '<none>');

/** Access modes as the printers abbreviate them (RWO, ROX, RWX, RWOP). */
export function accessModes(modes: string[] | undefined): string {
  const short: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
  return (modes ?? []).map((m) => short[m] ?? m).join(',');
}
