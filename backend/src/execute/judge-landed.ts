// Pure: did a write whose process died before it reported land? Judged from the snapshot taken right before it and
// the object as it is now. "not-landed" only when nothing the write could change has changed; anything the snapshot
// cannot settle is "unknown", and the caller escalates with the reason instead of guessing.
import { canonicalJson } from '../domain/canonical-json.js';
import type { KubeObject } from '../domain/kube.js';
import type { LedgerSnapshot } from '../ledger/action-ledger.js';

export type Landing = { kind: 'landed' | 'not-landed' | 'unknown'; why: string };

/** What a read of the target now gave: the object, NotFound, or an error. */
export type CurrentRead = { object?: KubeObject; absent?: true; error?: string };

export function judgeLanded(snapshot: LedgerSnapshot, now: CurrentRead): Landing {
  const name = `${snapshot.target.resource}/${snapshot.target.name}`;
  if (now.error) return { kind: 'unknown', why: `cannot read ${name} to tell whether the write landed: ${now.error}` };
  if (snapshot.absent) {
    return now.absent ? { kind: 'not-landed', why: `${name} still does not exist` } : { kind: 'landed', why: `${name} exists now and did not before the write` };
  }
  const before = snapshot.object;
  if (!before) return { kind: 'unknown', why: `${name} is never snapshotted (it holds credentials), so the cluster cannot tell whether the write landed` };
  if (now.absent || !now.object) return { kind: 'landed', why: `${name} existed before the write and is gone now` };
  const after = now.object;
  if (before.metadata.uid && after.metadata.uid && before.metadata.uid !== after.metadata.uid) return { kind: 'landed', why: `${name} was replaced (uid changed)` };
  const metaChanged = !sameJson(before.metadata.labels, after.metadata.labels) || !sameJson(before.metadata.annotations, after.metadata.annotations);
  if (before.metadata.generation !== undefined && after.metadata.generation !== undefined) {
    if (after.metadata.generation > before.metadata.generation) return { kind: 'landed', why: `${name} generation ${before.metadata.generation} → ${after.metadata.generation}: its spec changed after the snapshot` };
    if (metaChanged) return { kind: 'landed', why: `${name} labels or annotations changed after the snapshot` };
    return { kind: 'not-landed', why: `${name} generation still ${after.metadata.generation} and its labels and annotations unchanged since the snapshot` };
  }
  // Objects without a generation (Pods, Nodes): the spec and metadata themselves.
  if (!sameJson(before.spec, after.spec)) return { kind: 'landed', why: `${name} spec changed after the snapshot` };
  if (metaChanged) return { kind: 'landed', why: `${name} labels or annotations changed after the snapshot` };
  return { kind: 'not-landed', why: `${name} spec, labels and annotations unchanged since the snapshot` };
}

/** Several targets (scale deployment a b): landed or not only when they all agree. */
export function judgeAllLanded(judgements: Landing[]): Landing {
  if (judgements.length === 0) return { kind: 'unknown', why: 'the write had no snapshot to compare the cluster with' };
  const kinds = new Set(judgements.map((j) => j.kind));
  const why = judgements.map((j) => j.why).join('; ');
  if (kinds.size === 1) return { kind: judgements[0].kind, why };
  return { kind: 'unknown', why: `some targets changed and some did not: ${why}` };
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? {}) === canonicalJson(b ?? {});
}
