// Pure: which kubectl commands put an object back the way the snapshot saw it. Built by our code from the snapshot,
// never from model text; the runner still scores and audits every one.
import type { KubeObject } from '../domain/kube.js';

export interface RollbackTarget {
  /** Canonical plural resource ("deployments"). */
  resource: string;
  name: string;
  namespace?: string;
}

export interface RollbackPlan {
  /** Each entry is the argv after "kubectl". Empty when nothing differs or nothing can be restored automatically. */
  commands: string[][];
  /** Why these commands, or why none. */
  detail: string;
}

const TEMPLATE_FIELDS = ['name', 'image', 'resources', 'env', 'envFrom', 'command', 'args'] as const;

/** The parts of a pod template's containers a rollback cares about, as canonical JSON. */
export function templateFingerprint(object: KubeObject | undefined): string {
  const containers: Array<Record<string, unknown>> = object?.spec?.template?.spec?.containers ?? [];
  return canonicalJson(containers.map((c) => Object.fromEntries(TEMPLATE_FIELDS.filter((f) => c[f] !== undefined).map((f) => [f, c[f]]))));
}

/**
 * A Deployment's whole pod template (annotations, probes, volumes… not only the container fields above): its rollback is
 * `rollout undo --to-revision`, which restores all of it, so a change anywhere in it must count. The pod-template-hash
 * label is the ReplicaSet's, not the template's (undo strips it).
 */
export function deploymentTemplateFingerprint(object: KubeObject | undefined): string {
  const template = (object?.spec?.template ?? {}) as { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };
  const { 'pod-template-hash': _hash, ...labels } = template.metadata?.labels ?? {};
  return canonicalJson({ labels, annotations: template.metadata?.annotations ?? {}, spec: template.spec ?? {} });
}

/** Fields that differ between the snapshot and the object now (what a rollback must restore). */
export function differencesFromSnapshot(resource: string, before: KubeObject, current: KubeObject | undefined): string[] {
  if (!current) return ['the object no longer exists'];
  const out: string[] = [];
  if (resource === 'deployments' ? deploymentTemplateFingerprint(before) !== deploymentTemplateFingerprint(current) : ['statefulsets', 'daemonsets', 'replicasets'].includes(resource) && templateFingerprint(before) !== templateFingerprint(current)) {
    out.push('pod template');
  }
  if (['deployments', 'statefulsets', 'replicasets'].includes(resource) && (before.spec?.replicas ?? 1) !== (current.spec?.replicas ?? 1)) {
    out.push(`replicas ${current.spec?.replicas ?? 1} → ${before.spec?.replicas ?? 1}`);
  }
  if (resource === 'deployments' && Boolean(before.spec?.paused) !== Boolean(current.spec?.paused)) out.push('paused');
  if (resource === 'nodes' && Boolean(before.spec?.unschedulable) !== Boolean(current.spec?.unschedulable)) out.push('unschedulable');
  return out;
}

/** The commands that restore the snapshot's fields on the current object. */
export function planRollback(target: RollbackTarget, before: KubeObject | undefined, current: KubeObject | undefined): RollbackPlan {
  if (!before) return { commands: [], detail: `${target.resource}/${target.name} did not exist before the action: no automatic rollback` };
  if (!current) return { commands: [], detail: `${target.resource}/${target.name} no longer exists: no automatic rollback` };
  const diffs = differencesFromSnapshot(target.resource, before, current);
  if (diffs.length === 0) return { commands: [], detail: 'the object already matches the snapshot' };
  const ns = target.namespace ? ['-n', target.namespace] : [];
  const ref = `${singular(target.resource)}/${target.name}`;
  const commands: string[][] = [];
  const unsupported: string[] = [];
  for (const diff of diffs) {
    if (diff === 'pod template') {
      const revision = before.metadata.annotations?.['deployment.kubernetes.io/revision'];
      if (target.resource === 'deployments' && revision && /^\d+$/.test(revision)) {
        commands.push(['rollout', 'undo', ref, ...ns, `--to-revision=${revision}`]);
      } else if (target.resource === 'statefulsets' || target.resource === 'daemonsets') {
        commands.push(['patch', ref, ...ns, '--type=strategic', '-p', templatePatch(before)]);
      } else {
        unsupported.push(diff);
      }
    } else if (diff.startsWith('replicas')) {
      commands.push(['scale', ref, ...ns, `--replicas=${before.spec?.replicas ?? 1}`]);
    } else if (diff === 'paused') {
      commands.push(['rollout', before.spec?.paused ? 'pause' : 'resume', ref, ...ns]);
    } else if (diff === 'unschedulable') {
      commands.push([before.spec?.unschedulable ? 'cordon' : 'uncordon', target.name]);
    } else {
      unsupported.push(diff);
    }
  }
  const detail = `restore ${diffs.join(', ')} from the snapshot${unsupported.length ? `; cannot restore automatically: ${unsupported.join(', ')}` : ''}`;
  return { commands, detail };
}

/** A strategic merge patch that puts back the snapshot's containers (merged by name). */
function templatePatch(before: KubeObject): string {
  const containers: Array<Record<string, unknown>> = before.spec?.template?.spec?.containers ?? [];
  const restored = containers.map((c) => Object.fromEntries(TEMPLATE_FIELDS.filter((f) => c[f] !== undefined).map((f) => [f, c[f]])));
  return JSON.stringify({ spec: { template: { spec: { containers: restored } } } });
}

function singular(resource: string): string {
  const map: Record<string, string> = { deployments: 'deployment', statefulsets: 'statefulset', daemonsets: 'daemonset', replicasets: 'replicaset', nodes: 'node' };
  return map[resource] ?? resource;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as Record<string, unknown>)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
