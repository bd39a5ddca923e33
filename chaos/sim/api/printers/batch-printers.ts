// Printers for batch/v1 Jobs and CronJobs and the storage/networking kinds served as plain data, with the columns
// of the 1.32 apiserver's printers (Job STATUS included).

/* eslint-disable @typescript-eslint/no-explicit-any */

import { humanDuration, translateTimestampSince } from './age.js';
import { accessModes, ageCol, age, col, containerCells, containersCol, imagesCol, nameCol, orNone, type Printer } from './printer-helpers.js';
import { selectorToString } from '../selectors.js';

const hasCondition = (o: any, type: string): boolean => (o.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');

function jobStatus(job: any): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(job: any): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined && job.spec?.completions !== null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: any, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
  return humanDuration(end - Date.parse(start));
}

export const BATCH_AND_STORAGE_PRINTERS: Record<string, Printer> = {
  jobs: {
    columns: [
      nameCol,
      col('Status', 'string', 'Status of the job.'),
      col('Completions', 'string', 'The completion status of the job.'),
      col('Duration', 'string', 'Time required to complete the job.'),
      ageCol,
      containersCol,
      imagesCol,
      col('Selector', 'string', 'A label query over pods that should match the pod count.', 1),
    ],
    row: (job, now) => ({
      cells: [job.metadata.name, jobStatus(job), jobCompletions(job), jobDuration(job, now), age(job, now), ...containerCells(job.spec), selectorToString(job.spec?.selector)],
    }),
  },
  cronjobs: {
    columns: [
      nameCol,
      col('Schedule', 'string', 'The schedule in Cron format.'),
      col('Timezone', 'string', 'The time zone name for the given schedule.'),
      col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
      col('Active', 'integer', 'A list of pointers to currently running jobs.'),
      col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
      ageCol,
      containersCol,
      imagesCol,
      col('Selector', 'string', 'A label query over pods that should match the pod count.', 1),
    ],
    row: (cj, now) => ({
      cells: [
        cj.metadata.name,
        cj.spec?.schedule ?? '',
        orNone(cj.spec?.timeZone),
        cj.spec?.suspend ? 'True' : 'False',
        (cj.status?.active ?? []).length,
        cj.status?.lastScheduleTime ? translateTimestampSince(cj.status.lastScheduleTime, now) : '<none>',
        age(cj, now),
        ...containerCells(cj.spec?.jobTemplate?.spec),
        selectorToString(cj.spec?.jobTemplate?.spec?.selector),
      ],
    }),
  },
  persistentvolumes: {
    columns: [
      nameCol,
      col('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity.'),
      col('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
      col('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
      col('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
      col('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
      col('StorageClass', 'string', 'storageClassName is the name of StorageClass to which this persistent volume belongs.'),
      col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the persistent volume.'),
      col('Reason', 'string', 'reason is a brief CamelCase string that describes any failure.'),
      ageCol,
      col('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', 1),
    ],
    row: (pv, now) => {
      const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}` : '';
      return {
        cells: [
          pv.metadata.name,
          pv.spec?.capacity?.storage ?? '',
          accessModes(pv.spec?.accessModes),
          pv.spec?.persistentVolumeReclaimPolicy ?? '',
          pv.status?.phase ?? '',
          claim,
          pv.spec?.storageClassName ?? '',
          orNone(pv.spec?.volumeAttributesClassName),
          pv.status?.reason ?? '',
          age(pv, now),
          pv.spec?.volumeMode ?? '<unset>',
        ],
      };
    },
  },
  storageclasses: {
    columns: [
      nameCol,
      col('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
      col('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
      col('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
      col('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
      ageCol,
    ],
    row: (sc, now) => {
      const isDefault = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'].some((a) => sc.metadata.annotations?.[a] === 'true');
      return {
        cells: [
          isDefault ? `${sc.metadata.name} (default)` : sc.metadata.name,
          sc.provisioner ?? '',
          sc.reclaimPolicy ?? 'Delete',
          sc.volumeBindingMode ?? 'Immediate',
          sc.allowVolumeExpansion ? 'true' : 'false',
          age(sc, now),
        ],
      };
    },
  },
  ingresses: {
    columns: [
      nameCol,
      col('Class', 'string', 'The name of the IngressClass resource that should be used for this Ingress.'),
      col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
      col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
      col('Ports', 'string', 'Ports of TLS configurations that open'),
      ageCol,
    ],
    row: (ing, now) => {
      const hosts = (ing.spec?.rules ?? []).map((r: any) => r.host).filter(Boolean);
      const addresses = (ing.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).filter(Boolean);
      return {
        cells: [
          ing.metadata.name,
          orNone(ing.spec?.ingressClassName),
          hosts.length ? hosts.slice(0, 4).join(',') + (hosts.length > 4 ? ` + ${hosts.length - 4} more...` : '') : '*',
          addresses.join(','),
          ing.spec?.tls?.length ? '80, 443' : '80',
          age(ing, now),
        ],
      };
    },
  },
  ingressclasses: {
    columns: [
      nameCol,
      col('Controller', 'string', 'Controller that is responsible for handling this class'),
      col('Parameters', 'string', 'A reference to a resource with additional parameters'),
      ageCol,
    ],
    row: (ic, now) => {
      const p = ic.spec?.parameters;
      const params = p ? `${p.kind}.${p.apiGroup ?? ''}/${p.name}` : '<none>';
      return { cells: [ic.metadata.name, ic.spec?.controller ?? '', params, age(ic, now)] };
    },
  },
};
