// Pure: which kubectl commands put an object back the way the snapshot saw it. Built by our code from the snapshot,
// never from model text; the runner still scores and audits every one.
import { canonicalJson } from '../domain/canonical-json.js';
import type { KubeObject } from '../domain/kube.js';
import { resourceType } from '../kube/resource-types.js';

export interface RollbackTarget {
  /** Canonical plural resource ("deployments"). */
  resource: string;
  name: string;
  namespace?: string;
  /**
   * The snapshot read found no such object (NotFound): the action created it, and the rollback deletes it. Unset for
   * an object that was never read (Secrets are not snapshotted): "no snapshot" must never mean "delete it".
   */
  absentBefore?: boolean;
}

export interface RollbackPlan {
  /** Each entry is the argv after "kubectl". Empty when nothing differs or nothing can be restored automatically. */
  commands: string[][];
  /** Why these commands, or why none. */
  detail: string;
  /** By index into commands: what to run instead when that command fails (undo of a revision no longer kept). */
  fallbacks?: Array<string[] | undefined>;
}

/**
 * A Deployment's whole pod template (annotations, probes, volumes… not only its containers): its rollback is
 * `rollout undo --to-revision`, which restores all of it, so a change anywhere in it must count. The pod-template-hash
 * label is the ReplicaSet's, not the template's (undo strips it).
 */
export function deploymentTemplateFingerprint(object: KubeObject | undefined): string {
  const template = (object?.spec?.template ?? {}) as { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };
  const { 'pod-template-hash': _hash, ...labels } = template.metadata?.labels ?? {};
  return canonicalJson({ labels, annotations: template.metadata?.annotations ?? {}, spec: template.spec ?? {} });
}

/**
 * Annotations and labels the controllers and kubelets keep for themselves: not part of what the agent changed, and
 * not ours to put back (`rollout undo` rewrites the deployment.kubernetes.io ones).
 */
const BOOKKEEPING_KEYS = [/^deployment\.kubernetes\.io\//, /^deprecated\.daemonset\.template\.generation$/, /^node\.alpha\.kubernetes\.io\//, /^volumes\.kubernetes\.io\//, /^csi\.volume\.kubernetes\.io\//, /^kubeadm\.alpha\.kubernetes\.io\//, /^control-plane\.alpha\.kubernetes\.io\//];
const isBookkeeping = (key: string) => BOOKKEEPING_KEYS.some((re) => re.test(key));

/** Spec fields restored by their own command (undo, scale, pause/resume, cordon) rather than by the merge patch. */
const OWN_COMMAND_FIELDS: Record<string, string[]> = {
  deployments: ['template', 'replicas', 'paused'],
  statefulsets: ['template', 'replicas'],
  daemonsets: ['template'],
  replicasets: ['template', 'replicas'],
  nodes: ['unschedulable', 'taints', 'podCIDR', 'podCIDRs', 'providerID'],
};

/** Top-level fields outside spec that hold an object's desired state. */
const DATA_FIELDS = ['data', 'binaryData', 'stringData'];

/** Fields that differ between the snapshot and the object now (what a rollback must restore). */
export function differencesFromSnapshot(resource: string, before: KubeObject, current: KubeObject | undefined): string[] {
  if (!current) return ['the object no longer exists'];
  const out: string[] = [];
  // The whole pod template, for every workload kind: a probe, volume or template annotation changed is a change too.
  if (['deployments', 'statefulsets', 'daemonsets', 'replicasets'].includes(resource) && deploymentTemplateFingerprint(before) !== deploymentTemplateFingerprint(current)) {
    out.push('pod template');
  }
  if (['deployments', 'statefulsets', 'replicasets'].includes(resource) && (before.spec?.replicas ?? 1) !== (current.spec?.replicas ?? 1)) {
    out.push(`replicas ${current.spec?.replicas ?? 1} → ${before.spec?.replicas ?? 1}`);
  }
  if (resource === 'deployments' && Boolean(before.spec?.paused) !== Boolean(current.spec?.paused)) out.push('paused');
  if (resource === 'nodes' && Boolean(before.spec?.unschedulable) !== Boolean(current.spec?.unschedulable)) out.push('unschedulable');
  if (resource === 'nodes' && canonicalJson(userTaints(before)) !== canonicalJson(userTaints(current))) out.push('taints');
  const patch = metadataAndSpecPatch(resource, before, current);
  for (const [section, fields] of Object.entries(patch)) {
    for (const field of Object.keys(fields as Record<string, unknown>)) out.push(`${section === 'metadata' ? '' : section === 'spec' ? 'spec.' : ''}${field}`);
  }
  return out;
}

/**
 * An RFC 7386 merge patch that turns the current object's labels, annotations, spec fields (those without a command
 * of their own) and data back into the snapshot's: changed keys get their old value, added keys get null.
 */
export function metadataAndSpecPatch(resource: string, before: KubeObject, current: KubeObject): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const metadata: Record<string, unknown> = {};
  for (const field of ['labels', 'annotations'] as const) {
    const diff = mergeDiff(withoutBookkeeping(current.metadata[field]), withoutBookkeeping(before.metadata[field]));
    if (diff !== undefined) metadata[field] = diff;
  }
  if (Object.keys(metadata).length) patch.metadata = metadata;
  const skip = OWN_COMMAND_FIELDS[resource] ?? [];
  const pick = (spec: unknown) => Object.fromEntries(Object.entries((spec ?? {}) as Record<string, unknown>).filter(([k]) => !skip.includes(k)));
  if (resource !== 'pods') {
    // A pod's spec is immutable but for images: a deleted or changed pod is its controller's to restore.
    const spec = mergeDiff(pick(current.spec), pick(before.spec));
    if (spec !== undefined) patch.spec = spec;
  }
  for (const field of DATA_FIELDS) {
    const diff = mergeDiff((current as Record<string, unknown>)[field], (before as Record<string, unknown>)[field]);
    if (diff !== undefined) patch[field] = diff;
  }
  return patch;
}

/** The commands that restore the snapshot's fields on the current object. */
export function planRollback(target: RollbackTarget, before: KubeObject | undefined, current: KubeObject | undefined): RollbackPlan {
  if (!before && target.absentBefore && current) {
    const ns = target.namespace ? ['-n', target.namespace] : [];
    return { commands: [['delete', `${singular(target.resource)}/${target.name}`, ...ns]], detail: `${target.resource}/${target.name} did not exist before the action: delete it` };
  }
  if (!before) return { commands: [], detail: `${target.resource}/${target.name} ${target.absentBefore ? 'did not exist before the action and is gone' : 'has no snapshot'}: no automatic rollback` };
  if (!current) return { commands: [], detail: `${target.resource}/${target.name} no longer exists: no automatic rollback` };
  const diffs = differencesFromSnapshot(target.resource, before, current);
  if (diffs.length === 0) return { commands: [], detail: 'the object already matches the snapshot' };
  const ns = target.namespace ? ['-n', target.namespace] : [];
  const ref = `${singular(target.resource)}/${target.name}`;
  const commands: string[][] = [];
  const fallbacks: Array<string[] | undefined> = [];
  const unsupported: string[] = [];
  const templatePatch = () => ['patch', ref, ...ns, '--type=merge', '-p', safeJson({ spec: { template: mergeDiff(current.spec?.template, before.spec?.template) ?? {} } })];
  const mergePatched = new Set(Object.entries(metadataAndSpecPatch(target.resource, before, current)).flatMap(([section, fields]) => Object.keys(fields as object).map((f) => `${section === 'metadata' ? '' : section === 'spec' ? 'spec.' : ''}${f}`)));
  for (const diff of diffs) {
    const merged = mergePatched.has(diff);
    if (diff === 'pod template') {
      const revision = before.metadata.annotations?.['deployment.kubernetes.io/revision'];
      if (target.resource === 'deployments' && !current.spec?.paused && revision && /^\d+$/.test(revision)) {
        commands.push(['rollout', 'undo', ref, ...ns, `--to-revision=${revision}`]);
        // The revision's ReplicaSet may be gone (revisionHistoryLimit): the snapshot's template is put back instead.
        fallbacks[commands.length - 1] = templatePatch();
      } else if (['deployments', 'statefulsets', 'daemonsets', 'replicasets'].includes(target.resource)) {
        // kubectl refuses to undo a paused deployment, and a deployment with no revision yet has nothing to undo to.
        // A merge patch replaces lists whole: the containers come back exactly as they were, fields removed included.
        commands.push(templatePatch());
      } else {
        unsupported.push(diff);
      }
    } else if (diff.startsWith('replicas')) {
      commands.push(['scale', ref, ...ns, `--replicas=${before.spec?.replicas ?? 1}`]);
    } else if (diff === 'paused') {
      commands.push(['rollout', before.spec?.paused ? 'pause' : 'resume', ref, ...ns]);
    } else if (diff === 'unschedulable') {
      commands.push([before.spec?.unschedulable ? 'cordon' : 'uncordon', target.name]);
    } else if (diff === 'taints') {
      // The node lifecycle controller owns the node.kubernetes.io/* taints (cordon's among them): keep today's.
      const taints = [...userTaints(before), ...((current.spec?.taints ?? []) as Taint[]).filter((t) => !isUserTaint(t))];
      // An empty list where the snapshot had none is removed, not left as "taints: []".
      commands.push(['patch', ref, '--type=merge', '-p', safeJson({ spec: { taints: taints.length || before.spec?.taints ? taints : null } })]);
    } else if (!merged) {
      unsupported.push(diff);
    }
  }
  // Labels, annotations, other spec fields and data: one merge patch, last (an undo rewrites the annotations).
  const patch = metadataAndSpecPatch(target.resource, before, current);
  if (Object.keys(patch).length) commands.push(['patch', ref, ...ns, '--type=merge', '-p', safeJson(patch)]);
  const detail = `restore ${diffs.join(', ')} from the snapshot${unsupported.length ? `; cannot restore automatically: ${unsupported.join(', ')}` : ''}`;
  return { commands, detail, ...(fallbacks.length ? { fallbacks } : {}) };
}

function singular(resource: string): string {
  return resourceType(resource)?.singular ?? resource;
}

interface Taint {
  key?: string;
  effect?: string;
  value?: string;
}
const isUserTaint = (t: Taint) => !(t.key ?? '').startsWith('node.kubernetes.io/');
const userTaints = (o: KubeObject): Taint[] => ((o.spec?.taints ?? []) as Taint[]).filter(isUserTaint);

function withoutBookkeeping(map: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => !isBookkeeping(k)));
}

/** RFC 7386 diff: the merge patch that turns `from` into `to`; undefined when they are equal. */
function mergeDiff(from: unknown, to: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (canonicalJson(from) === canonicalJson(to)) return undefined;
  if (!isObject(from) || !isObject(to)) return to === undefined ? null : to;
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const diff = mergeDiff(from[key], to[key]);
    if (diff !== undefined) out[key] = diff;
  }
  return out;
}

/**
 * JSON that formatCommandLine can always quote and the risk tokenizer accepts: quotes and every non-ASCII character
 * escaped (an annotation may hold "it's" or "é"), so the line never mixes quote kinds or carries bytes the scorer refuses.
 */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]|'/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
