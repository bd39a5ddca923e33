import type { KubeObject } from '../../../domain/kube.js';
import type { RunbookFacts } from '../gather-runbook-facts.js';
import type { RunbookRule } from '../rule-types.js';
import { selects } from '../pod-facts.js';

/**
 * A Service whose selector matches no pod. Names the closest candidates: workloads whose pod labels differ from the
 * selector by one key or value, and a Deployment with the Service's name. Re-pointing the selector at the
 * same-named Deployment's pods is proposed for a human to approve.
 */
export const serviceSelectorRule: RunbookRule = {
  id: 'service-selector',
  class: 'service',
  diagnose(facts) {
    const svc = facts.service;
    const selector = svc?.spec?.selector as Record<string, string> | undefined;
    if (!svc || !selector || Object.keys(selector).length === 0) return undefined;
    if ((facts.namespacePods ?? []).some((p) => selects(selector, p.metadata.labels))) return undefined;
    const name = svc.metadata.name ?? '';
    const ns = facts.target.namespace;
    const wanted = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
    const candidates = closeWorkloads(facts, selector);
    const sameNamed = (facts.deployments ?? []).find((d) => d.metadata.name === name);
    const evidence = [
      { fact: `service ${name} selects ${wanted}; no pod in ${ns} has these labels`, source: 'get_service_endpoints' },
      ...candidates.slice(0, 3).map((c) => ({ fact: `${c.what} has pod labels ${c.labels} (differs by ${c.diff})`, source: 'list_pods' })),
    ];
    const podLabels = sameNamed?.spec?.selector?.matchLabels as Record<string, string> | undefined;
    const closest = candidates[0] ? `; closest: ${candidates[0].what} with ${candidates[0].labels}` : sameNamed ? `; deployment ${name} labels its pods ${labelText(podLabels)}` : '';
    const rootCause = `Service ${name} selects ${wanted}, which matches no pod in ${ns}${closest}`;
    if (!sameNamed || !podLabels || Object.keys(podLabels).length === 0) {
      return { rootCause, confidence: 0.8, evidence, humanStep: `fix the selector of service ${name} or the labels of the pods it should reach` };
    }
    if (sameNamed && !candidates.some((c) => c.object === sameNamed)) evidence.push({ fact: `deployment ${name} (same name as the Service) labels its pods ${labelText(podLabels)}`, source: 'get_deployment' });
    // Merge patch: the new keys, and null for the selector's keys the pods do not carry.
    const patch: Record<string, string | null> = { ...Object.fromEntries(Object.keys(selector).filter((k) => !(k in podLabels)).map((k) => [k, null])), ...podLabels };
    const body = JSON.stringify({ spec: { selector: patch } });
    if (/'/.test(body)) return { rootCause, confidence: 0.8, evidence, humanStep: `point service ${name}'s selector at ${labelText(podLabels)}` };
    return {
      rootCause,
      confidence: 0.75,
      evidence,
      action: {
        command: `kubectl patch service ${name} -n ${ns} --type=merge -p '${body}'`,
        description: `Change service ${name}'s selector to ${labelText(podLabels)}, the pod labels of the same-named deployment ${name} (a human confirms)`,
        confidence: 0.75,
        expectedEffect: `service ${name} gets the ready pods of deployment ${name} as endpoints`,
        postconditions: [{ type: 'endpointsReady', namespace: ns, service: name }],
      },
    };
  },
};

const labelText = (l: Record<string, string> | undefined) => Object.entries(l ?? {}).map(([k, v]) => `${k}=${v}`).join(',');

/** Workloads whose pod labels differ from the selector by exactly one key or value. */
function closeWorkloads(facts: RunbookFacts, selector: Record<string, string>): Array<{ object: KubeObject; what: string; labels: string; diff: string }> {
  const out: Array<{ object: KubeObject; what: string; labels: string; diff: string }> = [];
  for (const d of facts.deployments ?? []) {
    const labels = (d.spec?.template?.metadata?.labels as Record<string, string>) ?? {};
    const missing = Object.entries(selector).filter(([k, v]) => labels[k] !== v);
    if (missing.length !== 1) continue;
    const [k, v] = missing[0];
    const diff = labels[k] === undefined ? `key ${k} (selector wants ${k}=${v}, the pods have no ${k})` : `value of ${k}: selector wants ${v}, pods have ${labels[k]}`;
    out.push({ object: d, what: `deployment ${d.metadata.name}`, labels: labelText(labels), diff });
  }
  // Pods no listed Deployment makes (StatefulSets, DaemonSets, Jobs, bare pods): one candidate per controller.
  const seen = new Set<string>();
  for (const pod of facts.namespacePods ?? []) {
    const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
    if (owner?.kind === 'ReplicaSet') continue;
    const what = owner ? `${owner.kind.toLowerCase()} ${owner.name}` : `pod ${pod.metadata.name}`;
    const labels = pod.metadata.labels ?? {};
    const missing = Object.entries(selector).filter(([k, v]) => labels[k] !== v);
    if (missing.length !== 1 || seen.has(what)) continue;
    seen.add(what);
    const [k, v] = missing[0];
    out.push({ object: pod, what, labels: labelText(labels), diff: labels[k] === undefined ? `key ${k} (selector wants ${k}=${v})` : `value of ${k}: selector wants ${v}, pods have ${labels[k]}` });
  }
  return out;
}
