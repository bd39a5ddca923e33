import type { Incident } from '../domain/incident.js';
import { resourceTypeOfKind } from '../kube/resource-types.js';
import { labelsFromAlertmanagerText, labelsFromTags, labelsFromTitleTags } from './alert-label-sources.js';

// Pure: what the incident says it is about. Nothing here is trusted; resolve-target confirms it against the cluster.

export interface TargetCandidate {
  namespace?: string;
  kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'Pod' | 'Service' | 'Node' | 'Any';
  name?: string;
  selector?: string;
  from: string;
  /**
   * A reading that is often not about a Kubernetes object: Prometheus's `job` label (usually the scrape job) or
   * "job x" in prose. Tried like the others, but when only such candidates name something and none exists, a bare
   * namespace from the alert may still stand in.
   */
  weak?: boolean;
}

type NamedKind = 'pod' | 'deployment' | 'statefulset' | 'daemonset' | 'job' | 'cronjob' | 'service';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LABEL_PAIR = /^([A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?)=([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

// exported_* first: when Prometheus scrapes kube-state-metrics without honor_labels, `namespace`/`pod` name the
// exporter and exported_namespace/exported_pod the workload the alert is about.
const KEYS: Record<NamedKind | 'namespace' | 'scrapeJob' | 'node' | 'labels', string[]> = {
  namespace: ['exported_namespace', 'namespace', 'ns', 'kube_namespace', 'k8s_namespace', 'kubernetes_namespace', 'k8s.namespace.name'],
  pod: ['exported_pod', 'pod', 'pod_name', 'kube_pod', 'k8s_pod', 'kubernetes_pod_name', 'k8s.pod.name'],
  deployment: ['exported_deployment', 'deployment', 'kube_deployment', 'k8s_deployment', 'workload', 'deployment_name', 'k8s.deployment.name'],
  statefulset: ['statefulset', 'stateful_set', 'kube_stateful_set', 'k8s.statefulset.name'],
  daemonset: ['daemonset', 'daemon_set', 'kube_daemon_set', 'k8s.daemonset.name'],
  service: ['exported_service', 'service', 'svc', 'kube_service', 'service_name'],
  // kube-state-metrics: kube_job_* carry job_name, kube_cronjob_* carry cronjob.
  job: ['exported_job_name', 'job_name', 'kube_job', 'kube_job_name', 'k8s.job.name'],
  cronjob: ['exported_cronjob', 'cronjob', 'cron_job', 'cronjob_name', 'kube_cronjob', 'kube_cron_job', 'k8s.cronjob.name'],
  // In Prometheus `job` is usually the scrape job (kube-state-metrics), rarely a Kubernetes Job: a weak candidate.
  scrapeJob: ['job'],
  node: ['node', 'kubernetes_node', 'kube_node', 'k8s.node.name'],
  labels: ['labels', 'selector', 'label_selector'],
};

const KIND_OF: Record<NamedKind, NonNullable<TargetCandidate['kind']>> = {
  pod: 'Pod',
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  job: 'Job',
  cronjob: 'CronJob',
  service: 'Service',
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

/** The label sets an alert's details carry: the top level, a nested `labels` object, Alertmanager's text, tags. */
function detailScopes(details: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  const scopes: Array<[string, Record<string, unknown>]> = [['custom_details', details]];
  const nested = details.labels;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) scopes.push(['custom_details.labels', nested as Record<string, unknown>]);
  for (const [key, value] of Object.entries(details).slice(0, 50)) {
    const labels = labelsFromAlertmanagerText(value);
    if (labels) {
      scopes.push([`custom_details.${key} labels`, labels]);
      break;
    }
  }
  const tagsKey = pick(details, ['tags']);
  const tags = labelsFromTags(tagsKey?.[1]);
  if (tags) scopes.push([`custom_details.${tagsKey![0]}`, tags]);
  return scopes;
}

/** Candidates from one label set: named workloads first (pod, then controllers, then service), a node last. */
function candidatesFromRecord(scope: string, record: Record<string, unknown>, withSelector: boolean): TargetCandidate[] {
  const out: TargetCandidate[] = [];
  const ns = pick(record, KEYS.namespace);
  const namespace = asName(ns?.[1], DNS_LABEL);
  for (const kind of ['pod', 'deployment', 'statefulset', 'daemonset', 'job', 'cronjob', 'service'] as const) {
    const hit = pick(record, KEYS[kind]);
    const name = asName(hit?.[1]);
    if (name) out.push({ namespace, kind: KIND_OF[kind], name, from: `${scope}.${hit![0]}` });
  }
  const scrape = pick(record, KEYS.scrapeJob);
  const scrapeName = asName(scrape?.[1]);
  if (scrapeName && namespace && !out.some((c) => c.kind === 'Job' || c.kind === 'CronJob')) out.push({ namespace, kind: 'Job', name: scrapeName, from: `${scope}.${scrape![0]}`, weak: true });
  if (withSelector) {
    const labels = pick(record, KEYS.labels);
    const selector = selectorFrom(labels?.[1]);
    if (selector && namespace) out.push({ namespace, selector, from: `${scope}.${labels![0]}` });
  }
  if (out.length === 0) {
    const node = pick(record, KEYS.node);
    const nodeName = asName(node?.[1]);
    if (nodeName) out.push({ kind: 'Node', name: nodeName, from: `${scope}.${node![0]}` });
  }
  if (namespace && out.every((c) => c.kind === 'Node' || c.weak)) out.push({ namespace, from: `${scope}.${ns![0]}` });
  return out;
}

/** Candidates from custom_details (also nested `labels`, Alertmanager's `firing` text, Datadog `tags`). */
export function candidatesFromDetails(details: Record<string, unknown>): TargetCandidate[] {
  for (const [scope, record] of detailScopes(details)) {
    const out = candidatesFromRecord(scope, record, scope === 'custom_details');
    if (out.length > 0) return out;
  }
  return [];
}

/** The kinds a title may name, with every spelling kubectl accepts for them ("deploy", "sts", "deployment.apps"). */
const TITLE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'Service'] as const;
const KIND_WORDS: Record<string, TargetCandidate['kind']> = Object.fromEntries(
  TITLE_KINDS.flatMap((kind) => {
    const type = resourceTypeOfKind(kind)!;
    const words = [type.plural, type.singular, ...type.shortNames, ...(type.group ? [`${type.plural}.${type.group}`, `${type.singular}.${type.group}`] : [])];
    return words.map((word) => [word, kind]);
  }),
);

// Words that follow a kind word in prose ("pod is crash looping", "pods pending in namespace x"): never names.
const NOT_NAMES = new Set(
  'in on is of for the a an and or to at has have had was were are be been not no with from that which namespace status restarting restarts restarted crash crashing crashlooping crashloop stuck pending failed failing down ready unready unavailable unhealthy keeps'.split(' '),
);

// A kind word, then its name (optionally ns/name). Longest words first, so "deployments" is never read as "deploy".
const KIND_PATTERN = new RegExp(
  `\\b(${Object.keys(KIND_WORDS).sort((a, b) => b.length - a.length).map((w) => w.replace(/\./g, '\\.')).join('|')})(?:\\s*[:=]\\s*|\\s*(?:\\/|\\s)\\s*)(?:([a-z0-9][-a-z0-9]*)\\/)?([a-z0-9][-a-z0-9.]*[a-z0-9]|[a-z0-9])(?![-a-z0-9./])`,
  'gi',
);

/** Candidates from title patterns: Datadog tags, `deployment/abc`, `pod xyz`, `Pod ns/name`, `ns/name`, `namespace: x`. */
export function candidatesFromTitle(title: string): TargetCandidate[] {
  const text = title.slice(0, 500);
  const tags = labelsFromTitleTags(text);
  const out: TargetCandidate[] = tags ? candidatesFromRecord('title tags', tags, false) : [];
  const nsMatch = /\b(?:namespace|ns)\s*[:=]\s*([a-z0-9][-a-z0-9]*)/i.exec(text) ?? /\bin\s+(?:the\s+)?namespace\s+([a-z0-9][-a-z0-9]*)/i.exec(text);
  const namespace = asName(nsMatch?.[1], DNS_LABEL);
  const taken = new Set<string>();
  for (const m of text.matchAll(KIND_PATTERN)) {
    const kind = KIND_WORDS[m[1].toLowerCase()];
    const ns = m[2] ? asName(m[2], DNS_LABEL) : namespace;
    const name = asName(m[3]);
    if (!kind || !name || NOT_NAMES.has(name) || (m[2] && !ns)) continue;
    if (m[2]) taken.add(`${m[2]}/${m[3]}`);
    // "job x" in prose is as often a scrape job or a batch system's job as a Kubernetes Job; "job/x", "job: x" are not.
    const weak = kind === 'Job' && !/[/:=]/.test(m[0]);
    out.push({ namespace: ns, kind, name, from: `title: ${m[0].trim()}`, ...(weak ? { weak } : {}) });
  }
  for (const m of text.matchAll(/(?:^|[\s(['"])([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9.]*[a-z0-9])(?=$|[\s)\]'",:;])/g)) {
    if (KIND_WORDS[m[1].toLowerCase()] || m[1] === 'namespace' || taken.has(`${m[1]}/${m[2]}`)) continue;
    const ns = asName(m[1], DNS_LABEL);
    const name = asName(m[2]);
    if (ns && name) out.push({ namespace: ns, kind: 'Any', name, from: `title: ${m[1]}/${m[2]}` });
  }
  if (namespace && !out.some((c) => c.name || c.selector || c.namespace === namespace)) out.push({ namespace, from: `title: ${nsMatch![0].trim()}` });
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
