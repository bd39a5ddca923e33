// LabelSelector matching (matchLabels + matchExpressions), as used by ReplicaSets, Deployments, PDBs and Services.
// One engine with the API server's list filtering: api/selectors.ts.
import { matchesSelector as matchesApiSelector } from '../api/selectors.js';

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** True when `labels` satisfy `selector`. An empty selector matches everything; a missing one matches nothing. */
export function matchesSelector(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  return matchesApiSelector(selector, labels);
}

/** A Service-style selector (plain map): empty or missing selects nothing. */
export function matchesMap(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return matchesSelector({ matchLabels: selector }, labels);
}
