// ControllerRevisions for StatefulSets and DaemonSets (what `kubectl rollout history/undo sts|ds` read): one per
// template hash, the newest carrying the highest revision, old ones trimmed to revisionHistoryLimit.
import type { SimObject } from '../store/types.js';
import type { ControllerContext } from './controller-context.js';
import { byControllerUid } from './object-cache.js';
import { errorCode, newObject, unconditional } from './sim-object.js';

export const HASH_LABEL = 'controller.kubernetes.io/hash';

/** Registers the index the revision helpers need; call once per controller start. */
export function indexControllerRevisions(ctx: ControllerContext): void {
  ctx.cache.addIndex('controllerrevisions', 'controller', byControllerUid);
}

/**
 * Makes sure `owner` has a ControllerRevision `<name>-<hash>` for its current template, with the next revision
 * number when it is new or reused. Returns the revision name. Never throws for a store that lacks the resource.
 */
export function syncControllerRevision(ctx: ControllerContext, owner: SimObject, hash: string): string {
  const { store, cache } = ctx;
  const name = `${owner.metadata.name}-${hash}`;
  try {
    const owned = cache.byIndex('controllerrevisions', 'controller', owner.metadata.uid);
    const max = owned.reduce((m, r) => Math.max(m, Number(r.revision) || 0), 0);
    const existing = owned.find((r) => r.metadata.name === name);
    const data = { spec: { template: { ...JSON.parse(JSON.stringify(owner.spec?.template ?? {})), $patch: 'replace' } } };
    if (!existing) {
      store.create(
        'controllerrevisions',
        newObject(
          'apps/v1',
          'ControllerRevision',
          {
            name,
            namespace: owner.metadata.namespace,
            labels: { ...(owner.spec?.selector?.matchLabels ?? {}), [HASH_LABEL]: hash },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }],
          },
          { data, revision: max + 1 },
        ),
        { skipAdmission: true },
      );
    } else if ((Number(existing.revision) || 0) < max) {
      store.update('controllerrevisions', unconditional(existing, { revision: max + 1 }), { skipAdmission: true });
    }
    const limit = owner.spec?.revisionHistoryLimit ?? 10;
    const old = cache
      .byIndex('controllerrevisions', 'controller', owner.metadata.uid)
      .filter((r) => r.metadata.name !== name)
      .sort((a, b) => (Number(a.revision) || 0) - (Number(b.revision) || 0));
    for (const r of old.slice(0, Math.max(0, old.length - limit))) store.remove('controllerrevisions', r.metadata.namespace, r.metadata.name);
  } catch (error) {
    if (errorCode(error) !== 409 && errorCode(error) !== 404 && !(error instanceof Error && /unknown resource/.test(error.message))) throw error;
  }
  return name;
}
