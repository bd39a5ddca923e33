// Missing ConfigMap/Secret references, with the kubelet's exact messages: env/envFrom problems block container
// creation (CreateContainerConfigError); volume problems block the pod's mounts (FailedMount).
import type { SimObject } from '../store/types.js';

/** Looks an object up by resource ("configmaps" | "secrets"), namespace and name. */
export type Lookup = (resource: 'configmaps' | 'secrets', namespace: string, name: string) => SimObject | undefined;

/** kube-root-ca.crt is published into every namespace by the control plane; never report it missing. */
const ALWAYS_PRESENT = new Set(['kube-root-ca.crt']);

interface KeyRef {
  name?: string;
  key?: string;
  optional?: boolean;
}

function hasKey(object: SimObject, key: string): boolean {
  const data = (object.data ?? {}) as Record<string, unknown>;
  const binary = (object.binaryData ?? object.stringData ?? {}) as Record<string, unknown>;
  return key in data || key in binary;
}

function check(lookup: Lookup, resource: 'configmaps' | 'secrets', ns: string, ref: KeyRef | undefined, withKey: boolean): string | undefined {
  if (!ref?.name || ref.optional || ALWAYS_PRESENT.has(ref.name)) return undefined;
  const object = lookup(resource, ns, ref.name);
  const kind = resource === 'configmaps' ? 'configmap' : 'secret';
  if (!object) return `${kind} "${ref.name}" not found`;
  if (withKey && ref.key !== undefined && !hasKey(object, ref.key)) {
    return `couldn't find key ${ref.key} in ${resource === 'configmaps' ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}`;
  }
  return undefined;
}

/** The CreateContainerConfigError message for a container, or undefined when its env can be built. */
export function findEnvProblem(container: { env?: unknown[]; envFrom?: unknown[] }, namespace: string, lookup: Lookup): string | undefined {
  for (const from of (container.envFrom ?? []) as Array<{ configMapRef?: KeyRef; secretRef?: KeyRef }>) {
    const problem = check(lookup, 'configmaps', namespace, from.configMapRef, false) ?? check(lookup, 'secrets', namespace, from.secretRef, false);
    if (problem) return problem;
  }
  for (const env of (container.env ?? []) as Array<{ valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef } }>) {
    const problem =
      check(lookup, 'configmaps', namespace, env.valueFrom?.configMapKeyRef, true) ?? check(lookup, 'secrets', namespace, env.valueFrom?.secretKeyRef, true);
    if (problem) return problem;
  }
  return undefined;
}

export interface VolumeProblem {
  volume: string;
  message: string;
}

/** The first volume that cannot be mounted, with its FailedMount event message. */
export function findVolumeProblem(volumes: unknown[] | undefined, namespace: string, lookup: Lookup): VolumeProblem | undefined {
  for (const v of (volumes ?? []) as Array<Record<string, unknown> & { name: string }>) {
    const sources: Array<{ resource: 'configmaps' | 'secrets'; ref: KeyRef }> = [];
    const cm = v.configMap as KeyRef | undefined;
    const secret = v.secret as { secretName?: string; optional?: boolean } | undefined;
    if (cm) sources.push({ resource: 'configmaps', ref: cm });
    if (secret) sources.push({ resource: 'secrets', ref: { name: secret.secretName, optional: secret.optional } });
    const projected = v.projected as { sources?: Array<{ configMap?: KeyRef; secret?: KeyRef }> } | undefined;
    for (const s of projected?.sources ?? []) {
      if (s.configMap) sources.push({ resource: 'configmaps', ref: s.configMap });
      if (s.secret) sources.push({ resource: 'secrets', ref: s.secret });
    }
    for (const { resource, ref } of sources) {
      const problem = check(lookup, resource, namespace, ref, false);
      if (problem) return { volume: v.name, message: `MountVolume.SetUp failed for volume "${v.name}" : ${problem}` };
    }
  }
  return undefined;
}
