// The VolumeBinding plugin's PreFilter (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go): a pod
// whose claim is missing, being deleted, or unbound in Immediate mode is rejected before any node is tried.
// A claim naming a StorageClass that does not exist counts as Immediate (volume.IsDelayBindingMode returns false).
import type { SimObject } from '../store/types.js';
import type { ObjectCache } from './object-cache.js';

export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';

export function claimNamesOf(pod: SimObject): string[] {
  return ((pod.spec?.volumes ?? []) as Array<{ persistentVolumeClaim?: { claimName?: string } }>)
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter((n): n is string => typeof n === 'string' && n !== '');
}

export const isBound = (claim: SimObject): boolean => Boolean(claim.spec?.volumeName) && claim.status?.phase === 'Bound';

export function isDelayBinding(claim: SimObject, cache: ObjectCache): boolean {
  const className = claim.spec?.storageClassName;
  if (!className) return false;
  return cache.get('storageclasses', undefined, className)?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** The PreFilter rejection message for `pod`, or undefined when its claims allow scheduling. */
export function volumePreFilter(pod: SimObject, cache: ObjectCache): string | undefined {
  const names = claimNamesOf(pod);
  if (names.length === 0) return undefined;
  let unboundImmediate = false;
  for (const name of names) {
    const claim = cache.get('persistentvolumeclaims', pod.metadata.namespace, name);
    if (!claim) return `persistentvolumeclaim "${name}" not found`;
    if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (!isBound(claim) && !isDelayBinding(claim, cache)) unboundImmediate = true;
  }
  return unboundImmediate ? ERR_UNBOUND_IMMEDIATE : undefined;
}
