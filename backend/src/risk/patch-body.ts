/**
 * Reads a `kubectl patch -p` body structurally (never by substring) to find what it changes: replica counts set to 0,
 * container images, and fields that widen a pod's privileges.
 */

export type PatchType = 'strategic' | 'merge' | 'json';

export interface PatchAnalysis {
  type: PatchType;
  /** Set when the body could not be read; the caller treats the patch as unknown. */
  unreadable?: string;
  scalesToZero: boolean;
  setsImage: boolean;
  /** Fields that grant privileges (serviceAccountName, hostNetwork, privileged, hostPath…), as JSON pointers. */
  privilegeFields: string[];
  /** Paths written to, as JSON pointers ("/spec/replicas"). */
  paths: string[];
}

// Compared lower-cased: Go's encoding/json matches struct fields case-insensitively, so "Replicas" may still land.
const REPLICA_KEYS = new Set(['replicas', 'minreplicas', 'maxreplicas']);
const PRIVILEGE_KEYS = new Set(
  [
    'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'hostNetwork', 'hostPID', 'hostIPC', 'hostPath',
    'privileged', 'allowPrivilegeEscalation', 'capabilities', 'runAsUser', 'runAsNonRoot',
  ].map((k) => k.toLowerCase()),
);

interface Leaf {
  path: string[];
  value: unknown;
}

function collectLeaves(value: unknown, path: string[], out: Leaf[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push({ path, value });
    value.forEach((item, index) => collectLeaves(item, [...path, String(index)], out));
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.push({ path, value });
    for (const [key, child] of entries) collectLeaves(child, [...path, key], out);
    return;
  }
  out.push({ path, value });
}

function pointerSegments(pointer: unknown): string[] | undefined {
  if (typeof pointer !== 'string' || (pointer !== '' && !pointer.startsWith('/'))) return undefined;
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const isZero = (v: unknown) => (typeof v === 'number' && v === 0) || (typeof v === 'string' && v.trim() !== '' && Number(v) === 0);

/** Analyses a patch body; `declaredType` is kubectl's --type (default strategic). */
export function analysePatch(body: string, declaredType: string | undefined): PatchAnalysis {
  const type: PatchType = declaredType === 'json' || declaredType === 'merge' ? declaredType : 'strategic';
  const result: PatchAnalysis = { type, scalesToZero: false, setsImage: false, privilegeFields: [], paths: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // kubectl also accepts YAML bodies; we do not guess at them. Unknown content is reported, never assumed harmless.
    result.unreadable = 'patch body is not JSON, so its effect cannot be checked';
    return result;
  }

  const leaves: Leaf[] = [];
  const unknownSources: string[][] = [];
  if (Array.isArray(parsed)) {
    result.type = 'json';
    for (const op of parsed as Array<Record<string, unknown>>) {
      const path = pointerSegments(op?.path);
      if (!path) {
        result.unreadable = 'json patch operation without a valid path';
        continue;
      }
      if (op.op === 'add' || op.op === 'replace') collectLeaves(op.value, path, leaves);
      else if (op.op === 'copy' || op.op === 'move') unknownSources.push(path);
      else leaves.push({ path, value: undefined });
    }
  } else if (parsed !== null && typeof parsed === 'object') {
    if (type === 'json') result.unreadable = '--type=json needs a JSON array of operations';
    collectLeaves(parsed, [], leaves);
  } else {
    result.unreadable = 'patch body is not a JSON object';
    return result;
  }

  for (const leaf of leaves) {
    const last = (leaf.path[leaf.path.length - 1] ?? '').toLowerCase();
    result.paths.push(`/${leaf.path.join('/')}`);
    if (REPLICA_KEYS.has(last) && isZero(leaf.value)) result.scalesToZero = true;
    if (leaf.path.some((segment) => segment.toLowerCase() === 'image')) result.setsImage = true;
    if (leaf.path.some((segment) => PRIVILEGE_KEYS.has(segment.toLowerCase()))) result.privilegeFields.push(`/${leaf.path.join('/')}`);
  }
  // A copy/move into a replica field takes its value from elsewhere in the object: assume the worst.
  for (const path of unknownSources) {
    result.paths.push(`/${path.join('/')}`);
    const last = (path[path.length - 1] ?? '').toLowerCase();
    if (REPLICA_KEYS.has(last)) result.scalesToZero = true;
    if (last === 'image' || path.includes('containers')) result.setsImage = true;
  }
  return result;
}
