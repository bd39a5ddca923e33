// Label and field selectors: parse the query-string forms, match objects, and print metav1.LabelSelectors.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { badRequest } from '../store/errors.js';
import type { SimObject } from '../store/types.js';

export type LabelRequirement =
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!' }
  | { key: string; op: 'gt' | 'lt'; value: number };

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Parses `app=web,tier!=db,env in (a,b),!legacy,track`; throws 400 like the real server on garbage. */
export function parseLabelSelector(text: string | null | undefined): LabelRequirement[] {
  if (!text) return [];
  const out: LabelRequirement[] = [];
  for (const part of splitTopLevel(text)) {
    let match = /^([^\s!=<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (match) {
      const values = match[3].split(',').map((v) => v.trim()).filter((v) => v.length > 0);
      out.push({ key: match[1], op: match[2] as 'in' | 'notin', values });
      continue;
    }
    match = /^([^\s!=<>(),]+)\s*(==|=|!=)\s*([^\s!=<>(),]*)$/.exec(part);
    if (match) {
      out.push({ key: match[1], op: match[2] === '!=' ? '!=' : '=', value: match[3] });
      continue;
    }
    match = /^([^\s!=<>(),]+)\s*(<|>)\s*(\d+)$/.exec(part);
    if (match) {
      out.push({ key: match[1], op: match[2] === '>' ? 'gt' : 'lt', value: Number(match[3]) });
      continue;
    }
    match = /^!\s*([^\s!=<>(),]+)$/.exec(part);
    if (match) {
      out.push({ key: match[1], op: '!' });
      continue;
    }
    match = /^([^\s!=<>(),]+)$/.exec(part);
    if (match) {
      out.push({ key: match[1], op: 'exists' });
      continue;
    }
    throw badRequest(`unable to parse requirement: found '${part}', expected: identifier`);
  }
  return out;
}

export function labelsMatch(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of requirements) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case '=':
        if (!has || l[r.key] !== r.value) return false;
        break;
      case '!=':
        if (has && l[r.key] === r.value) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(l[r.key])) return false;
        break;
      case 'notin':
        if (has && r.values.includes(l[r.key])) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'gt':
        if (!has || !(Number(l[r.key]) > r.value)) return false;
        break;
      case 'lt':
        if (!has || !(Number(l[r.key]) < r.value)) return false;
        break;
    }
  }
  return true;
}

const OPERATORS: Record<string, 'in' | 'notin' | 'exists' | '!'> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/** A metav1.LabelSelector as requirements (LabelSelectorAsSelector); undefined when an operator is unknown. */
export function selectorRequirements(selector: { matchLabels?: Record<string, string>; matchExpressions?: any[] }): LabelRequirement[] | undefined {
  const out: LabelRequirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({ key, op: '=' as const, value }));
  for (const e of selector.matchExpressions ?? []) {
    const op = OPERATORS[e?.operator];
    if (!op) return undefined;
    out.push(op === 'in' || op === 'notin' ? { key: e.key, op, values: e.values ?? [] } : { key: e.key, op });
  }
  return out;
}

/** metav1.LabelSelector semantics: an empty selector matches everything, a missing one (or a bad operator) nothing. */
export function matchesSelector(selector: any, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const requirements = selectorRequirements(selector);
  return requirements !== undefined && labelsMatch(requirements, labels);
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (!text) return [];
  const out: FieldRequirement[] = [];
  for (const part of text.split(/(?<!\\),/).map((p) => p.trim()).filter(Boolean)) {
    const match = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    out.push({ field: match[1], op: match[2] === '!=' ? '!=' : '=', value: match[3].replace(/\\(.)/g, '$1') });
  }
  return out;
}

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];
const FIELDS: Record<string, string[]> = {
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  events: [
    'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
    'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type',
  ],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
  secrets: ['type'],
  replicasets: ['status.replicas'],
};

function fieldValue(object: SimObject, field: string): string {
  if (field === 'source') return String((object as any).source?.component ?? '');
  if (field === 'spec.hostNetwork') return String(Boolean(object.spec?.hostNetwork));
  if (field === 'spec.unschedulable') return String(Boolean(object.spec?.unschedulable));
  if (field === 'status.podIP') return String(object.status?.podIPs?.[0]?.ip ?? object.status?.podIP ?? '');
  let value: any = object;
  for (const key of field.split('.')) value = value?.[key];
  return value === undefined || value === null ? '' : String(value);
}

/** Throws 400 for a field the server does not index for this resource, like the real server. */
export function checkFieldSelector(resource: string, requirements: FieldRequirement[]): void {
  const allowed = [...COMMON_FIELDS, ...(FIELDS[resource] ?? [])];
  for (const r of requirements) {
    if (!allowed.includes(r.field)) throw badRequest(`field label not supported: ${r.field}`);
  }
}

export function fieldsMatch(requirements: FieldRequirement[], object: SimObject): boolean {
  for (const r of requirements) {
    const actual = fieldValue(object, r.field);
    if (r.op === '=' ? actual !== r.value : actual === r.value) return false;
  }
  return true;
}

/** labels.FormatLabels: sorted `k=v` pairs, or `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

/** metav1.LabelSelector → the selector string the real server prints (requirements sorted by key). */
export function selectorToString(selector: any): string {
  if (!selector) return '<none>';
  const parts: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) parts.push([k, `${k}=${v}`]);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push([e.key, `${e.key} in (${values})`]);
    else if (e.operator === 'NotIn') parts.push([e.key, `${e.key} notin (${values})`]);
    else if (e.operator === 'Exists') parts.push([e.key, e.key]);
    else if (e.operator === 'DoesNotExist') parts.push([e.key, `!${e.key}`]);
  }
  return parts
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}
