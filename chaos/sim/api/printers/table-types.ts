// meta.k8s.io/v1 Table shapes.

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean | null;

export interface RowCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

/** One printed row: cells plus row conditions (Completed for finished pods). */
export interface PrintedRow {
  cells: Cell[];
  conditions?: RowCondition[];
}
