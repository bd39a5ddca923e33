import { parseAllDocuments } from 'yaml';
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
  /** Set when the body is nested deeper or holds more values than any real patch: scored as forbidden. */
  beyondBound?: string;
  /** Label and annotation keys set or removed anywhere in the body (object and pod-template metadata). */
  labelKeys: string[];
  annotationKeys: string[];
  /** A whole labels/annotations map replaced or removed (`"annotations": null`). */
  replacesMetadataMap: boolean;
  /** Replica counts the body sets (spec.replicas, minReplicas, maxReplicas). */
  replicaValues: number[];
  /** Resource quantities the body sets: { kind: limits|requests, resource: cpu|memory|…, value }. */
  quantities: Array<{ kind: string; resource: string; value: string }>;
}

/** Real patches nest a few dozen levels at most; thousands of levels are an attack on the scorer itself. */
export const MAX_PATCH_DEPTH = 64;
/** Values (leaves) a patch may set before it stops being reviewable. */
export const MAX_PATCH_LEAVES = 10_000;

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

class BeyondBound extends Error {}

/** Iterative (an explicit stack, never recursion), bounded in depth and in the number of leaves. */
function collectLeaves(root: unknown, rootPath: string[], out: Leaf[]): void {
  const stack: Leaf[] = [{ path: rootPath, value: root }];
  while (stack.length > 0) {
    const { path, value } = stack.pop() as Leaf;
    if (path.length > MAX_PATCH_DEPTH) throw new BeyondBound(`nested deeper than ${MAX_PATCH_DEPTH} levels`);
    if (out.length > MAX_PATCH_LEAVES) throw new BeyondBound(`sets more than ${MAX_PATCH_LEAVES} values`);
    const children: Leaf[] = Array.isArray(value)
      ? value.map((item, index) => ({ path: [...path, String(index)], value: item as unknown }))
      : value !== null && typeof value === 'object'
        ? Object.entries(value as Record<string, unknown>).map(([key, child]) => ({ path: [...path, key], value: child }))
        : [];
    if (children.length === 0) {
      out.push({ path, value });
      continue;
    }
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]);
  }
}

/** A single YAML document as plain data (no custom tags), or undefined; deep nesting surfaces as BeyondBound. */
function readYaml(body: string): unknown {
  // Indentation depth is YAML's nesting: bound it (and flow brackets, via jsonDepth) before the parser recurses.
  const deepestIndent = Math.max(0, ...body.split('\n').map((line) => line.length - line.trimStart().length));
  if (deepestIndent > MAX_PATCH_DEPTH * 8) throw new BeyondBound(`nested deeper than ${MAX_PATCH_DEPTH} levels`);
  try {
    const docs = parseAllDocuments(body);
    if (!Array.isArray(docs) || docs.length !== 1 || docs[0].errors.length > 0) return undefined;
    const value: unknown = docs[0].toJS({ maxAliasCount: 0 });
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch (error) {
    if (error instanceof RangeError) throw new BeyondBound('too deeply nested to read');
    return undefined;
  }
}

/** Deepest bracket nesting of a JSON text, outside strings; cheap, and run before JSON.parse sees the text. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i += 1;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, (depth += 1));
    else if (c === 125 || c === 93) depth -= 1;
  }
  return max;
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
  const result: PatchAnalysis = {
    type, scalesToZero: false, setsImage: false, privilegeFields: [], paths: [], labelKeys: [], annotationKeys: [], replacesMetadataMap: false, replicaValues: [], quantities: [],
  };
  try {
    return analyseBounded(body, result);
  } catch (error) {
    if (!(error instanceof BeyondBound) && !(error instanceof RangeError)) throw error;
    result.beyondBound = `patch body ${error instanceof BeyondBound ? error.message : 'too deeply nested to read'}`;
    result.unreadable = result.beyondBound;
    return result;
  }
}

function analyseBounded(body: string, result: PatchAnalysis): PatchAnalysis {
  const type = result.type;
  if (jsonDepth(body) > MAX_PATCH_DEPTH + 2) throw new BeyondBound(`nested deeper than ${MAX_PATCH_DEPTH} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // kubectl also accepts YAML bodies: read them structurally too, so a YAML spelling hides nothing from the rules.
    const yaml = readYaml(body);
    if (yaml === undefined) {
      result.unreadable = 'patch body is neither JSON nor a single YAML document, so its effect cannot be checked';
      return result;
    }
    parsed = yaml;
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
    readMetadata(leaf, result);
    if (REPLICA_KEYS.has(last) && (typeof leaf.value === 'number' || typeof leaf.value === 'string') && Number.isFinite(Number(leaf.value))) result.replicaValues.push(Number(leaf.value));
    const kind = (leaf.path[leaf.path.length - 2] ?? '').toLowerCase();
    if ((kind === 'limits' || kind === 'requests') && (typeof leaf.value === 'string' || typeof leaf.value === 'number')) result.quantities.push({ kind, resource: last, value: String(leaf.value) });
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
    readMetadata({ path, value: undefined }, result);
  }
  return result;
}

/** Label and annotation keys a leaf writes: …/metadata/labels/KEY, or the whole map at …/metadata/labels. */
function readMetadata(leaf: Leaf, result: PatchAnalysis): void {
  for (let i = 0; i < leaf.path.length; i += 1) {
    const segment = leaf.path[i].toLowerCase();
    if ((segment !== 'labels' && segment !== 'annotations') || (leaf.path[i - 1] ?? '').toLowerCase() !== 'metadata') continue;
    const key = leaf.path[i + 1];
    if (key === undefined) result.replacesMetadataMap = true;
    else (segment === 'labels' ? result.labelKeys : result.annotationKeys).push(key);
  }
}
