import type { KubeObject } from '../../../domain/kube.js';
import type { RunbookRule } from '../rule-types.js';
import { schedulingFailure } from '../parse-scheduling.js';
import { eventsWith } from '../pod-facts.js';
import { nameOf } from '../rule-helpers.js';

/** A PersistentVolumeClaim that is not bound, and why: a missing StorageClass, no default, no matching volume. */
export const schedulingPvcRule: RunbookRule = {
  id: 'scheduling-pvc',
  class: 'scheduling',
  diagnose(facts) {
    const pending = facts.pods.filter((p) => p.status?.phase === 'Pending' && !p.spec?.nodeName);
    const claims = pending.flatMap((p) => ((p.spec?.volumes as Array<{ persistentVolumeClaim?: { claimName?: string } }>) ?? []).map((v) => v.persistentVolumeClaim?.claimName)).filter((c): c is string => Boolean(c));
    if (claims.length === 0) return undefined;
    const pvcs = facts.pvcs ?? [];
    const failure = schedulingFailure(facts.pods, facts.events);
    for (const name of [...new Set(claims)]) {
      const pvc = pvcs.find((c) => c.metadata.name === name);
      if (pvc && pvc.status?.phase === 'Bound') continue;
      const why = pvc ? reasonUnbound(pvc, facts.storageClasses, facts.events) : `persistentvolumeclaim "${name}" does not exist`;
      const evidence = [{ fact: `pvc ${name}: ${pvc ? `phase ${pvc.status?.phase ?? 'Pending'}, storageClassName ${pvc.spec?.storageClassName ?? '(none)'}, requests ${pvc.spec?.resources?.requests?.storage ?? '?'}` : 'not found'}`, source: 'get_pvc' }];
      if (failure?.message) evidence.push({ fact: `pod ${failure.pod.metadata.name}: FailedScheduling: ${failure.message.slice(0, 250)}`, source: 'get_events' });
      return {
        rootCause: `pods of ${nameOf(facts)} are Pending: PersistentVolumeClaim ${name} is unbound because ${why}`,
        confidence: 0.8,
        evidence,
        humanStep: pvc ? 'create the StorageClass or a matching PersistentVolume, or fix the claim; the agent never deletes a PVC' : `create the PersistentVolumeClaim ${name}`,
      };
    }
    return undefined;
  },
};

function reasonUnbound(pvc: KubeObject, classes: KubeObject[] | undefined, events: KubeObject[] | undefined): string {
  const cls = pvc.spec?.storageClassName as string | undefined;
  const event = eventsWith(events, ['ProvisioningFailed', 'FailedBinding'], new Set([pvc.metadata.name]))[0];
  if (cls && classes && !classes.some((c) => c.metadata.name === cls)) return `its StorageClass "${cls}" does not exist${classes.length ? ` (classes: ${classes.map((c) => c.metadata.name).join(', ')})` : ''}`;
  if (!cls && classes && !classes.some((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true')) {
    return `it names no StorageClass and the cluster has no default class, and no PersistentVolume matches it${event ? ` (${String(event.message).slice(0, 160)})` : ''}`;
  }
  if (event) return `${event.reason}: ${String(event.message).slice(0, 200)}`;
  return cls ? `no volume was provisioned or matched for StorageClass "${cls}"` : 'no PersistentVolume matches it';
}
