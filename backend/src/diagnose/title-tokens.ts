// Pure: the words of an alert title that could be Kubernetes names. Alertmanager's (and Grafana's) default PagerDuty
// description is "[FIRING:1] <group label values> (<common label values>)": values without their keys, e.g.
// "[FIRING:1] KubePodCrashLooping (web kube-state-metrics shop web-7d9f8b6c5-x2x4k critical)". Which value is the
// namespace and which the pod is only known by asking the cluster (resolve-from-title-tokens.ts).

const MAX_TOKENS = 40;
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/** Status words of the templates themselves; never a namespace or workload worth matching. */
const TEMPLATE_WORDS = new Set(['firing', 'resolved', 'triggered', 'recovered', 'warn', 'alerting', 'ok', 'no', 'data']);

export function titleTokens(title: string): string[] {
  const out: string[] = [];
  for (const raw of title.slice(0, 1_000).split(/[\s()[\]{},;|"'`=<>]+/)) {
    // "FIRING:1" and Datadog's "kube_namespace:shop" tags: the part after the colon may still be a name.
    for (const part of raw.split(':')) {
      const token = part.trim().toLowerCase().replace(/^[./]+|[./]+$/g, '');
      if (token.length < 2 || token.length > 253 || !NAME.test(token) || /^\d+$/.test(token) || TEMPLATE_WORDS.has(token)) continue;
      if (!out.includes(token)) out.push(token);
      if (out.length >= MAX_TOKENS) return out;
    }
  }
  return out;
}
