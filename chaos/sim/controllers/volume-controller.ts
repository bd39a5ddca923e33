// persistentvolume-controller plus one dynamic provisioner: gives nil-class claims the default StorageClass
// (retroactive default assignment), binds claims to matching Available volumes, provisions a hostPath volume for
// claims of a class whose provisioner kube-sim runs (Immediate now, WaitForFirstConsumer once a pod using the
// claim is scheduled), and otherwise leaves the claim Pending with the controller's real events.
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { controllerEvent, splitKey } from './controller-context.js';
import { byNamespace, objectKey } from './object-cache.js';
import { quantityOr } from './quantity.js';
import { errorCode, newObject, unconditional, writeOwnStatus } from './sim-object.js';
import { claimNamesOf, isBound } from './volume-binding.js';
import { createWorkQueue } from './work-queue.js';

const COMPONENT = 'persistentvolume-controller';
/** The provisioner kube-sim runs (minikube's storage-provisioner: its "standard" class binds Immediately). */
export const SIM_PROVISIONER = 'k8s.io/minikube-hostpath';
export const DEFAULT_STORAGE_CLASS = 'standard';
const DEFAULT_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const PROVISIONER_IDENTITY = `${SIM_PROVISIONER}_kube-sim_6d4c3f6a-8a3e-4c61-9b0e-5f1f0c2d7b11`;

const isDefault = (sc: SimObject): boolean =>
  sc.metadata.annotations?.[DEFAULT_ANNOTATION] === 'true' || sc.metadata.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true';

/** The default StorageClass every fresh kube-sim has (as minikube's default-storageclass addon installs it). */
export function defaultStorageClass(): SimObject {
  return newObject(
    'storage.k8s.io/v1',
    'StorageClass',
    { name: DEFAULT_STORAGE_CLASS, annotations: { [DEFAULT_ANNOTATION]: 'true' }, labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' } },
    { provisioner: SIM_PROVISIONER, reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' },
  );
}

const requestBytes = (claim: SimObject): number => quantityOr(claim.spec?.resources?.requests?.storage, 0);

export function startVolumeController(ctx: ControllerContext): Controller {
  const { store, cache } = ctx;
  cache.addIndex('pods', 'ns', byNamespace);
  cache.addIndex('persistentvolumeclaims', 'ns', byNamespace);
  const queue = createWorkQueue(COMPONENT, reconcile);
  const requeueAll = (): void => {
    for (const c of cache.list('persistentvolumeclaims')) if (!isBound(c)) queue.add(objectKey(c));
  };
  cache.on('persistentvolumeclaims', (event) => {
    if (event.type === 'DELETED') release(event.object);
    else queue.add(objectKey(event.object));
  });
  cache.on('storageclasses', requeueAll);
  cache.on('persistentvolumes', (event) => event.type !== 'DELETED' && requeueAll());
  cache.on('pods', (event) => {
    if (!event.object.spec?.nodeName || event.type === 'DELETED') return;
    for (const name of claimNamesOf(event.object)) queue.add(`${event.object.metadata.namespace}/${name}`);
  });

  // Warn once per claim and reason, like the controller's event aggregation over its resyncs.
  const warned = new Map<string, string>();
  const once = (claim: SimObject, type: 'Normal' | 'Warning', reason: string, message: string): void => {
    const key = `${claim.metadata.uid}`;
    if (warned.get(key) === `${reason}:${message}`) return;
    warned.set(key, `${reason}:${message}`);
    controllerEvent(ctx, COMPONENT, claim, type, reason, message);
  };

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const claim = cache.get('persistentvolumeclaims', ns, name);
    if (!claim || claim.metadata.deletionTimestamp || isBound(claim)) return;
    try {
      sync(claim);
    } catch (error) {
      if (errorCode(error) !== 404 && errorCode(error) !== 409) throw error;
    }
  }

  function sync(claim: SimObject): void {
    const className = claim.spec?.storageClassName as string | undefined;
    if (className === undefined || className === null) {
      const def = cache.list('storageclasses').find(isDefault);
      if (def) {
        store.update('persistentvolumeclaims', unconditional(claim, { spec: { ...claim.spec, storageClassName: def.metadata.name } }), { skipAdmission: true });
        return;
      }
    }
    const volume = findVolume(claim);
    if (volume) return bind(claim, volume);
    if (!className) {
      once(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return;
    }
    const sc = cache.get('storageclasses', undefined, className);
    if (!sc) {
      once(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !usedByScheduledPod(claim)) {
      once(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }
    if (sc.provisioner !== SIM_PROVISIONER) {
      once(
        claim,
        'Normal',
        'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      );
      return;
    }
    provision(claim, sc);
  }

  /** The claim is gone: its volume is deleted (reclaim policy Delete) or Released (Retain). */
  function release(claim: SimObject): void {
    for (const pv of cache.list('persistentvolumes')) {
      if (pv.spec?.claimRef?.uid !== claim.metadata.uid) continue;
      try {
        if ((pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete') === 'Delete') store.remove('persistentvolumes', undefined, pv.metadata.name);
        else writeOwnStatus(store, 'persistentvolumes', pv, { phase: 'Released' });
      } catch (error) {
        if (errorCode(error) !== 404) throw error;
      }
    }
    warned.delete(claim.metadata.uid);
  }

  function usedByScheduledPod(claim: SimObject): boolean {
    return cache.byIndex('pods', 'ns', claim.metadata.namespace as string).some((p) => p.spec?.nodeName && claimNamesOf(p).includes(claim.metadata.name));
  }

  function findVolume(claim: SimObject): SimObject | undefined {
    const want = requestBytes(claim);
    const modes = (claim.spec?.accessModes ?? []) as string[];
    const className = claim.spec?.storageClassName ?? '';
    return cache
      .list('persistentvolumes')
      .filter((pv) => !pv.spec?.claimRef && (pv.status?.phase ?? 'Available') === 'Available' && !pv.metadata.deletionTimestamp)
      .filter((pv) => (pv.spec?.storageClassName ?? '') === className && quantityOr(pv.spec?.capacity?.storage, 0) >= want)
      .filter((pv) => modes.every((m) => ((pv.spec?.accessModes ?? []) as string[]).includes(m)))
      .sort((a, b) => quantityOr(a.spec?.capacity?.storage, 0) - quantityOr(b.spec?.capacity?.storage, 0))[0];
  }

  function provision(claim: SimObject, sc: SimObject): void {
    const ns = claim.metadata.namespace as string;
    const pvName = `pvc-${claim.metadata.uid}`;
    ctx.recorder.record(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${ns}/${claim.metadata.name}"`, { component: PROVISIONER_IDENTITY });
    const pv = store.create(
      'persistentvolumes',
      newObject(
        'v1',
        'PersistentVolume',
        { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': SIM_PROVISIONER, hostPathProvisionerIdentity: 'kube-sim' } },
        {
          spec: {
            capacity: { storage: claim.spec?.resources?.requests?.storage ?? '1Gi' },
            accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
            hostPath: { path: `/tmp/hostpath-provisioner/${ns}/${claim.metadata.name}`, type: '' },
            persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
            storageClassName: sc.metadata.name,
            volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
          },
        },
      ),
      { skipAdmission: true },
    );
    ctx.recorder.record(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`, { component: PROVISIONER_IDENTITY });
    bind(claim, pv, true);
  }

  function bind(claim: SimObject, pv: SimObject, provisioned = false): void {
    const claimRef = { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion };
    const boundPv = store.update('persistentvolumes', unconditional(pv, { spec: { ...pv.spec, claimRef } }), { skipAdmission: true });
    writeOwnStatus(store, 'persistentvolumes', boundPv, { phase: 'Bound' });
    const annotations: Record<string, string> = { ...(claim.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' };
    if (provisioned) {
      annotations['volume.beta.kubernetes.io/storage-provisioner'] = SIM_PROVISIONER;
      annotations['volume.kubernetes.io/storage-provisioner'] = SIM_PROVISIONER;
    }
    const updated = store.update(
      'persistentvolumeclaims',
      unconditional(claim, { metadata: { ...claim.metadata, annotations }, spec: { ...claim.spec, volumeName: pv.metadata.name } } as Partial<SimObject>),
      { skipAdmission: true },
    );
    writeOwnStatus(store, 'persistentvolumeclaims', updated, { phase: 'Bound', accessModes: pv.spec?.accessModes, capacity: pv.spec?.capacity });
  }

  if (!cache.list('storageclasses').some(isDefault) && !cache.get('storageclasses', undefined, DEFAULT_STORAGE_CLASS)) {
    try {
      store.create('storageclasses', defaultStorageClass(), { skipAdmission: true });
    } catch (error) {
      if (errorCode(error) !== 409) throw error;
    }
  }
  requeueAll();
  return { stop: () => queue.stop() };
}
