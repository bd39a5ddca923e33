import type { Evidence, ProposedAction } from '../../../domain/proposal.js';
import type { Finding, RunbookRule, RunbookSettings } from '../rule-types.js';
import type { RunbookFacts } from '../gather-runbook-facts.js';
import { eventsWith, statusesOf } from '../pod-facts.js';
import { templatePostconditions } from '../plan-rollback.js';
import { nameOf, recreateStep, similarNames } from '../rule-helpers.js';

interface Missing {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  key?: string;
  pod: string;
  message: string;
  via: string;
}

// kubelet: configmap "app-config" not found / secret "db" not found / couldn't find key password in Secret shop/db
const NOT_FOUND = /(configmap|secret) "([^"]+)" not found/i;
const NO_KEY = /couldn't find key (\S+) in (ConfigMap|Secret) ([^/\s]+)\/(\S+)/;
const NO_VOLUME_KEY = /configmap references non-existent config key: (\S+)/;

/**
 * A ConfigMap, Secret or key the pods reference but the namespace lacks. Names similar ConfigMaps (edit distance, the
 * same keys). Secrets are never read or printed: their name comes from the pod's reference and the kubelet, and
 * similarly named Secrets from a names-only list.
 */
export const configMissingRule: RunbookRule = {
  id: 'config-missing',
  class: 'configuration',
  diagnose(facts, settings) {
    const missing = findMissing(facts);
    if (!missing) return undefined;
    const evidence: Evidence[] = [{ fact: `pod ${missing.pod}: ${missing.via}: ${missing.message.slice(0, 240)}`, source: missing.via === 'FailedMount' ? 'get_events' : 'get_pod_status' }];
    const what = missing.key ? `key ${missing.key} of ${missing.kind} ${missing.name}` : `${missing.kind} ${missing.name}`;
    const rootCause = `pods of ${nameOf(facts)} cannot start: ${what} does not exist in ${facts.target.namespace} (${missing.via})`;
    if (missing.kind === 'Secret') {
      // Names only: the agent never reads a Secret, so no candidate is ever proposed, only named for a human to check.
      const similar = missing.key ? [] : similarNames(missing.name, facts.secretNames ?? []);
      if (similar.length) evidence.push({ fact: `similarly named Secrets: ${similar.join(', ')} (names only; the agent never reads Secret data)`, source: 'list_secret_names' });
      const lookAlikes = similar.length ? ` (${similar.join(', ')}?)` : '';
      return { rootCause, confidence: 0.85, evidence, humanStep: `create Secret ${missing.name}${missing.key ? ` with key ${missing.key}` : ''} or fix the reference${lookAlikes}; the agent never creates Secrets or credentials` };
    }
    const maps = facts.configMaps ?? [];
    const similar = similarNames(missing.name, maps.map((c) => c.name));
    const wanted = expectedKeys(facts, missing.name);
    const sameKeys = maps.filter((c) => c.name !== missing.name && wanted.length > 0 && wanted.every((k) => c.keys.includes(k)));
    if (similar.length) evidence.push({ fact: `similarly named ConfigMaps: ${similar.map((n) => `${n} (keys: ${maps.find((c) => c.name === n)?.keys.join(', ') || 'none'})`).join('; ')}`, source: 'list_configmaps' });
    if (missing.key) {
      const present = maps.find((c) => c.name === missing.name);
      if (present) evidence.push({ fact: `configmap ${missing.name} has keys: ${present.keys.join(', ') || 'none'}; missing ${missing.key}`, source: 'list_configmaps' });
    }
    const candidate = missing.key ? undefined : pickCandidate(similar, sameKeys.map((c) => c.name), wanted.length > 0);
    const action = candidate ? repointAction(facts, settings, missing.name, candidate) : undefined;
    const finding: Finding = { rootCause, confidence: action ? 0.75 : 0.85, evidence };
    if (action) return { ...finding, action };
    return { ...finding, humanStep: recreateStep(facts, `ConfigMap ${missing.name}${missing.key ? ` with key ${missing.key}` : ''} created, or the reference pointed at an existing one${similar.length ? ` (${similar.join(', ')}?)` : ''}`) };
  },
};

function findMissing(facts: RunbookFacts): Missing | undefined {
  for (const pod of facts.pods) {
    for (const s of statusesOf(pod)) {
      const w = s.state?.waiting;
      if (w?.reason !== 'CreateContainerConfigError' && w?.reason !== 'CreateContainerError') continue;
      const parsed = parse(String(w.message ?? ''));
      if (parsed) return { ...parsed, pod: pod.metadata.name ?? '', message: String(w.message), via: `${w.reason} (container ${s.name})` };
    }
  }
  const names = new Set(facts.pods.map((p) => p.metadata.name));
  for (const e of eventsWith(facts.events, ['FailedMount'], names)) {
    const message = String(e.message ?? '');
    const parsed = parse(message);
    if (parsed) return { ...parsed, pod: (e.involvedObject as { name?: string }).name ?? '', message, via: 'FailedMount' };
    const key = NO_VOLUME_KEY.exec(message);
    const volume = /for volume "([^"]+)"/.exec(message)?.[1];
    const cm = volume && ((facts.pods[0]?.spec?.volumes as Array<{ name: string; configMap?: { name: string } }>) ?? []).find((v) => v.name === volume)?.configMap?.name;
    if (key && cm) return { kind: 'ConfigMap', name: cm, key: key[1], pod: (e.involvedObject as { name?: string }).name ?? '', message, via: 'FailedMount' };
  }
  return undefined;
}

function parse(message: string): Pick<Missing, 'kind' | 'name' | 'key'> | undefined {
  const key = NO_KEY.exec(message);
  if (key) return { kind: key[2] as 'ConfigMap' | 'Secret', name: key[4], key: key[1] };
  const nf = NOT_FOUND.exec(message);
  if (nf) return { kind: nf[1].toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap', name: nf[2] };
  return undefined;
}

/** The keys the workload reads from a ConfigMap: volume items and env configMapKeyRefs. */
function expectedKeys(facts: RunbookFacts, name: string): string[] {
  const spec = facts.workload?.podSpec ?? facts.pods[0]?.spec ?? {};
  const volumes = (spec.volumes as Array<{ configMap?: { name: string; items?: Array<{ key: string }> } }> | undefined) ?? [];
  const fromVolumes = volumes.filter((v) => v.configMap?.name === name).flatMap((v) => (v.configMap?.items ?? []).map((i) => i.key));
  const containers = [...((spec.initContainers as unknown[]) ?? []), ...((spec.containers as unknown[]) ?? [])] as Array<{ env?: Array<{ valueFrom?: { configMapKeyRef?: { name: string; key: string } } }> }>;
  const fromEnv = containers.flatMap((c) => (c.env ?? []).map((e) => e.valueFrom?.configMapKeyRef).filter((r) => r?.name === name).map((r) => r!.key));
  return [...new Set([...fromVolumes, ...fromEnv])];
}

/** Exactly one ConfigMap with the same keys (or, when no keys are known, exactly one similar name that also has them). */
function pickCandidate(similar: string[], sameKeys: string[], keysKnown: boolean): string | undefined {
  if (keysKnown) return sameKeys.length === 1 ? sameKeys[0] : undefined;
  return undefined;
}

/** Re-point the pod template's volume (or env ref) from the missing ConfigMap to the candidate: one JSON patch op. */
function repointAction(facts: RunbookFacts, settings: RunbookSettings, from: string, to: string): ProposedAction | undefined {
  const w = facts.workload;
  if (!w || !(w.kind === 'Deployment' || w.kind === 'StatefulSet' || w.kind === 'DaemonSet')) return undefined;
  const spec = w.podSpec;
  const volumes = (spec.volumes as Array<{ configMap?: { name: string } }> | undefined) ?? [];
  const ops: string[] = [];
  volumes.forEach((v, i) => {
    if (v.configMap?.name === from) ops.push(`{"op":"replace","path":"/spec/template/spec/volumes/${i}/configMap/name","value":"${to}"}`);
  });
  (spec.containers ?? []).forEach((c, ci) =>
    (c.env ?? []).forEach((e, ei) => {
      if (e.valueFrom?.configMapKeyRef?.name === from) ops.push(`{"op":"replace","path":"/spec/template/spec/containers/${ci}/env/${ei}/valueFrom/configMapKeyRef/name","value":"${to}"}`);
    }),
  );
  if (ops.length === 0 || !/^[a-z0-9.-]+$/.test(to)) return undefined;
  return {
    command: `kubectl patch ${w.ref} -n ${w.namespace} --type=json -p '[${ops.join(',')}]'`,
    description: `Point ${w.ref}'s reference to ConfigMap ${from} (missing) at ${to}, the one ConfigMap with the same keys (a human confirms it holds the right values)`,
    confidence: 0.75,
    expectedEffect: `pods of ${w.name} start with ConfigMap ${to}`,
    postconditions: templatePostconditions(w, settings, false),
  };
}
