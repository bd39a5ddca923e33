// The last way to find a target when the alert's fields and title patterns name none that exists: match the title's
// words against the cluster's own namespaces, then against the workloads and pods in those namespaces. Used for the
// common title formats (Alertmanager's and Grafana's default PagerDuty description: label values without keys).
// Never guesses: when the words match more than one target, nothing is resolved and the reason says which.
import type { Target } from '../domain/incident.js';
import type { ClusterReader } from '../domain/ports.js';
import { titleTokens } from './title-tokens.js';
import { workloadOfPod, workloadOfPodName, workloadTarget } from './resolve-pod-owner.js';

export type TokenResolution = { target: Target } | { target?: undefined; reason: string };

const MAX_NAMESPACES = 3;
const LIST_LIMIT = 1_000;

export async function resolveFromTitleTokens(title: string, reader: ClusterReader): Promise<TokenResolution> {
  const tokens = titleTokens(title);
  if (tokens.length === 0) return { reason: 'the title has no word that could be a Kubernetes name' };
  const existing = new Set((await reader.list('Namespace', undefined, { limit: LIST_LIMIT })).map((n) => n.metadata.name ?? ''));
  const namespaces = tokens.filter((t) => existing.has(t));
  if (namespaces.length === 0) return { reason: `no title word is a namespace in the cluster (words: ${tokens.slice(0, 12).join(', ')})` };
  if (namespaces.length > MAX_NAMESPACES) return { reason: `the title names ${namespaces.length} namespaces (${namespaces.join(', ')}): ambiguous, not guessing` };

  const found = new Map<string, Target>();
  for (const ns of namespaces) {
    const words = tokens.filter((t) => t !== ns);
    const from = (word: string) => `title words: namespace ${ns}, ${word}`;
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet'] as const) {
      for (const w of await reader.list(kind, ns, { limit: LIST_LIMIT })) {
        const name = w.metadata.name ?? '';
        if (words.includes(name)) add(found, workloadTarget(w, kind, from(name)));
      }
    }
    const pods = await reader.list('Pod', ns, { limit: LIST_LIMIT });
    const podNames = new Set(pods.map((p) => p.metadata.name ?? ''));
    for (const pod of pods) {
      const name = pod.metadata.name ?? '';
      if (!words.includes(name)) continue;
      const owner = await workloadOfPod(pod, reader, from(name));
      add(found, owner ?? { namespace: ns, kind: 'Pod', name, resolvedFrom: from(name) });
    }
    // A pod replaced since the alert fired: its name still names its ReplicaSet or StatefulSet.
    for (const word of words.filter((w) => w.includes('-') && !podNames.has(w)).slice(0, 10)) {
      const owner = await workloadOfPodName(ns, word, reader, from(word));
      if (owner) add(found, owner);
    }
  }
  const targets = [...found.values()];
  if (targets.length === 1) return { target: targets[0] };
  if (targets.length > 1) {
    return { reason: `the title's words match ${targets.length} targets (${targets.map((t) => `${t.kind?.toLowerCase()} ${t.namespace}/${t.name}`).join(', ')}): ambiguous, not guessing` };
  }
  if (namespaces.length === 1) return { target: { namespace: namespaces[0], resolvedFrom: `title word: namespace ${namespaces[0]}` } };
  return { reason: `the title names namespaces ${namespaces.join(', ')} but no workload or pod in them` };
}

function add(found: Map<string, Target>, target: Target): void {
  const key = `${target.kind}/${target.namespace}/${target.name}`;
  if (!found.has(key)) found.set(key, target);
}
