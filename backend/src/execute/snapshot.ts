// Before any write, the target object as JSON: what rollback restores and what the audit trail shows.
import { KubectlError } from '../domain/errors.js';
import type { KubeObject } from '../domain/kube.js';
import type { KubectlRunner } from '../domain/ports.js';
import { getTargetArgv, type CommandTarget } from './target-of.js';

export interface Snapshot {
  target: CommandTarget;
  /** Undefined when the object did not exist before the write (e.g. create), or is never snapshotted (Secrets). */
  object?: KubeObject;
  /** The read said NotFound: the write creates the object (and a rollback deletes it). */
  absent?: true;
  takenAt: number;
}

/** Resources whose JSON would carry credentials: never snapshotted (and never rolled back by us). */
const NEVER_SNAPSHOT = ['secrets', 'serviceaccounts'];

/**
 * Reads the target through the runner (the same credentials and cluster the write will use).
 * NotFound gives an empty snapshot; any other failure throws, because a write without a snapshot cannot be undone.
 */
export async function takeSnapshot(runner: KubectlRunner, target: CommandTarget, now: number, signal?: AbortSignal): Promise<Snapshot> {
  if (NEVER_SNAPSHOT.includes(target.resource)) return { target, takenAt: now };
  const result = await runner.run(getTargetArgv(target), { signal });
  if (result.exitCode !== 0) {
    if (/NotFound|not found/i.test(result.stderr)) return { target, absent: true, takenAt: now };
    throw new KubectlError(`cannot snapshot ${target.resource}/${target.name} before the write: ${result.stderr.trim().slice(0, 300)}`, result.exitCode, result.stderr);
  }
  try {
    return { target, object: JSON.parse(result.stdout) as KubeObject, takenAt: now };
  } catch (error) {
    throw new KubectlError(`cannot snapshot ${target.resource}/${target.name}: kubectl printed invalid JSON`, result.exitCode, result.stderr, { cause: error });
  }
}

/** What the audit trail keeps of a snapshot: identity and the fields rollback uses, not the whole object. */
export function summarizeSnapshot(snapshot: Snapshot): Record<string, unknown> {
  const o = snapshot.object;
  if (!o) return snapshot.absent ? { target: snapshot.target.ref, existed: false } : { target: snapshot.target.ref, snapshotted: false };
  return {
    target: snapshot.target.ref,
    existed: true,
    resourceVersion: o.metadata.resourceVersion,
    generation: o.metadata.generation,
    revision: o.metadata.annotations?.['deployment.kubernetes.io/revision'],
    replicas: o.spec?.replicas,
    unschedulable: o.spec?.unschedulable,
    images: (o.spec?.template?.spec?.containers ?? []).map((c: { name: string; image: string }) => `${c.name}=${c.image}`),
  };
}
