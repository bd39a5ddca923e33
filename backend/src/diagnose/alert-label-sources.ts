// Pure: the label sets an alert carries besides its plain custom_details keys. Alertmanager's PagerDuty receiver
// sends the labels only as text inside custom_details.firing; Datadog sends "key:value" tags. Untrusted text:
// everything read here is only a candidate that resolve-target confirms against the cluster.

const MAX_TEXT = 20_000;

/**
 * The first alert's labels from Alertmanager's default PagerDuty details text:
 * "Labels:\n - alertname = KubePodCrashLooping\n - namespace = shop\n - pod = web-…\nAnnotations:\n …".
 */
export function labelsFromAlertmanagerText(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.slice(0, MAX_TEXT);
  const start = text.search(/(^|\n)\s*Labels:\s*\n/);
  if (start < 0) return undefined;
  const out: Record<string, string> = {};
  const lines = text.slice(start).split('\n');
  // lines[0] may be the empty rest of a previous line; the header is the first "Labels:" line.
  const header = lines.findIndex((l) => /^\s*Labels:\s*$/.test(l));
  for (const line of lines.slice(header + 1)) {
    const m = /^\s*-\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) break; // "Annotations:" or the next alert ends the first alert's labels
    if (!(m[1] in out)) out[m[1]] = m[2];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Datadog-style tags, ["kube_namespace:shop", "kube_deployment:web"] or "kube_namespace:shop,kube_deployment:web". */
export function labelsFromTags(value: unknown): Record<string, string> | undefined {
  const items = typeof value === 'string' ? value.split(/[,\s]+/) : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const out: Record<string, string> = {};
  for (const item of items.slice(0, 200)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*):(.+?)\s*$/.exec(item);
    if (m && !(m[1] in out)) out[m[1]] = m[2];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Datadog tags written into a title: "[Triggered on {kube_namespace:shop,kube_deployment:web}] …". */
export function labelsFromTitleTags(title: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const m of title.slice(0, 500).matchAll(/\b(kube_[a-z_]+|pod_name):([a-z0-9][-a-z0-9.]*[a-z0-9]|[a-z0-9])/g)) {
    if (!(m[1] in out)) out[m[1]] = m[2];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
