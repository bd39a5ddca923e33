import type { Incident } from '../domain/incident.js';

// Pure: what the incident says it is about. Nothing here is trusted; resolve-target confirms it against the cluster.

export interface TargetCandidate {
  namespace?: string;
  kind?: 'Deployment' | 'Pod' | 'Service' | 'Any';
  name?: string;
  selector?: string;
  from: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LABEL_PAIR = /^([A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?)=([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

const KEYS = {
  namespace: ['namespace', 'ns', 'kube_namespace', 'k8s_namespace', 'kubernetes_namespace', 'exported_namespace'],
  pod: ['pod', 'pod_name', 'kube_pod', 'k8s_pod', 'kubernetes_pod_name'],
  deployment: ['deployment', 'kube_deployment', 'k8s_deployment', 'workload', 'deployment_name'],
  service: ['service', 'svc', 'kube_service', 'service_name'],
  labels: ['labels', 'selector', 'label_selector'],
};

function asName(value: unknown, pattern = DNS_NAME): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  return v.length > 0 && v.length <= 253 && pattern.test(v) ? v : undefined;
}

function pick(record: Record<string, unknown>, keys: string[]): [string, unknown] | undefined {
  const lower = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), [k, v] as [string, unknown]]));
  for (const key of keys) {
    const hit = lower.get(key);
    if (hit && hit[1] !== undefined && hit[1] !== null && hit[1] !== '') return hit;
  }
  return undefined;
}

/** A label selector from {app: "web"} or "app=web,tier=fe"; undefined when any part is not a plain equality. */
export function selectorFrom(value: unknown): string | undefined {
  let pairs: string[] = [];
  if (typeof value === 'string') pairs = value.split(',').map((s) => s.trim()).filter(Boolean);
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    pairs = Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k}=${String(v)}`);
  }
  if (pairs.length === 0 || pairs.length > 10 || !pairs.every((p) => LABEL_PAIR.test(p))) return undefined;
  return pairs.join(',');
}

/** Candidates from custom_details (also a nested `labels` object, Alertmanager style). */
export function candidatesFromDetails(details: Record<string, unknown>): TargetCandidate[] {
  const scopes: Array<[string, Record<string, unknown>]> = [['custom_details', details]];
  const nested = details.labels;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) scopes.push(['custom_details.labels', nested as Record<string, unknown>]);
  const out: TargetCandidate[] = [];
  for (const [scope, record] of scopes) {
    const ns = pick(record, KEYS.namespace);
    const namespace = asName(ns?.[1], DNS_LABEL);
    for (const kind of ['pod', 'deployment', 'service'] as const) {
      const hit = pick(record, KEYS[kind]);
      const name = asName(hit?.[1]);
      if (name) out.push({ namespace, kind: kind === 'pod' ? 'Pod' : kind === 'deployment' ? 'Deployment' : 'Service', name, from: `${scope}.${hit![0]}` });
    }
    if (scope === 'custom_details') {
      const labels = pick(record, KEYS.labels);
      const selector = selectorFrom(labels?.[1]);
      if (selector && namespace) out.push({ namespace, selector, from: `${scope}.${labels![0]}` });
    }
    if (namespace && out.length === 0) out.push({ namespace, from: `${scope}.${ns![0]}` });
    if (out.length > 0) break;
  }
  return out;
}

const KIND_WORDS: Record<string, TargetCandidate['kind']> = {
  deployment: 'Deployment',
  deploy: 'Deployment',
  'deployment.apps': 'Deployment',
  deployments: 'Deployment',
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  service: 'Service',
  svc: 'Service',
  services: 'Service',
};

/** Candidates from title patterns: `deployment/abc`, `pod xyz`, `ns/name`, `namespace: x`. */
export function candidatesFromTitle(title: string): TargetCandidate[] {
  const text = title.slice(0, 500);
  const out: TargetCandidate[] = [];
  const nsMatch = /\b(?:namespace|ns)\s*[:=]\s*([a-z0-9][-a-z0-9]*)/i.exec(text) ?? /\bin\s+namespace\s+([a-z0-9][-a-z0-9]*)/i.exec(text);
  const namespace = asName(nsMatch?.[1], DNS_LABEL);
  for (const m of text.matchAll(/\b(deployments?|deployment\.apps|deploy|pods?|po|services?|svc)\s*(?:\/|\s)\s*([a-z0-9][-a-z0-9.]*[a-z0-9])/gi)) {
    const kind = KIND_WORDS[m[1].toLowerCase()];
    const name = asName(m[2]);
    // "pod in namespace x" is not a pod named "in".
    if (kind && name && !['in', 'on', 'is', 'of', 'for', 'the', 'namespace'].includes(name)) out.push({ namespace, kind, name, from: `title: ${m[0].trim()}` });
  }
  for (const m of text.matchAll(/(?:^|[\s(['"])([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9.]*[a-z0-9])(?=$|[\s)\]'",:;])/g)) {
    if (KIND_WORDS[m[1].toLowerCase()] || m[1] === 'namespace') continue;
    const ns = asName(m[1], DNS_LABEL);
    const name = asName(m[2]);
    if (ns && name) out.push({ namespace: ns, kind: 'Any', name, from: `title: ${m[1]}/${m[2]}` });
  }
  if (namespace && out.length === 0) out.push({ namespace, from: `title: ${nsMatch![0].trim()}` });
  return out;
}

/**
 * Every candidate: named objects before bare namespaces, the alert's structured fields before the title. A bare
 * namespace from the details lends itself to title candidates that have none.
 */
export function extractTargetCandidates(incident: Pick<Incident, 'title' | 'details'>): TargetCandidate[] {
  const all = [...candidatesFromDetails(incident.details ?? {}), ...candidatesFromTitle(incident.title ?? '')];
  const namespace = all.find((c) => c.namespace)?.namespace;
  const withNs = all.map((c) => (c.namespace || !namespace ? c : { ...c, namespace }));
  return [...withNs.filter((c) => c.name || c.selector), ...withNs.filter((c) => !c.name && !c.selector)];
}
