// Printers for the resources kubectl users look at less often (their real columns, best-effort descriptions).

/* eslint-disable @typescript-eslint/no-explicit-any */

import { accessModes, ageCol, age, col, nameCol, orNone, type Printer } from './printer-helpers.js';
import { selectorToString } from '../selectors.js';


function endpointsText(ep: any): string {
  const list: string[] = [];
  for (const subset of ep.subsets ?? []) {
    const ports: any[] = subset.ports?.length ? subset.ports : [undefined];
    for (const address of subset.addresses ?? []) {
      for (const port of ports) list.push(port ? `${address.ip}:${port.port}` : address.ip);
    }
  }
  if (!list.length) return '<none>';
  const shown = list.slice(0, 3).join(',');
  return list.length > 3 ? `${shown} + ${list.length - 3} more...` : shown;
}

/** printers.go listWithMoreString: the first three, then "+ N more...". */
function firstThree(list: string[]): string {
  const shown = list.slice(0, 3).join(',');
  return list.length > 3 ? `${shown} + ${list.length - 3} more...` : shown;
}

function quotaUsage(quota: any, prefix: 'limits' | 'requests' | 'other'): string {
  const hard = quota.status?.hard ?? quota.spec?.hard ?? {};
  const used = quota.status?.used ?? {};
  const keys = Object.keys(hard)
    .filter((k) => (prefix === 'limits' ? k.startsWith('limits.') : !k.startsWith('limits.')))
    .sort();
  return keys.map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`).join(', ');
}

function hpaTargets(hpa: any): string {
  const metrics: any[] = hpa.spec?.metrics ?? [];
  if (!metrics.length) return '<none>';
  const current: any[] = hpa.status?.currentMetrics ?? [];
  return metrics
    .map((m, i) => {
      const target = m.resource?.target ?? {};
      const cur = current[i]?.resource?.current ?? {};
      if (target.averageUtilization !== undefined) {
        const value = cur.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>';
        return `${m.resource?.name ?? 'cpu'}: ${value}/${target.averageUtilization}%`;
      }
      const value = cur.averageValue ?? '<unknown>';
      return `${value}/${target.averageValue ?? target.value ?? '<unknown>'}`;
    })
    .join(', ');
}

export const OTHER_PRINTERS: Record<string, Printer> = {
  secrets: {
    columns: [nameCol, col('Type', 'string', 'The type of the secret'), col('Data', 'string', 'The number of keys in the secret'), ageCol],
    row: (s, now) => ({ cells: [s.metadata.name, s.type ?? '', Object.keys(s.data ?? {}).length, age(s, now)] }),
  },
  serviceaccounts: {
    columns: [nameCol, col('Secrets', 'string', 'The number of secrets referenced by this service account'), ageCol],
    row: (sa, now) => ({ cells: [sa.metadata.name, (sa.secrets ?? []).length, age(sa, now)] }),
  },
  endpointslices: {
    columns: [
      nameCol,
      col('AddressType', 'string', 'The IP protocol family of endpoints'),
      col('Ports', 'string', 'The port numbers of endpoints'),
      col('Endpoints', 'string', 'Up to three addresses of endpoints'),
      ageCol,
    ],
    row: (s, now) => {
      const ports = (s.ports ?? []).map((p: any) => (p.port != null ? String(p.port) : p.name ? p.name : '*'));
      const addresses = (s.endpoints ?? []).flatMap((e: any) => e.addresses ?? []);
      return { cells: [s.metadata.name, s.addressType ?? '', firstThree(ports), addresses.length ? firstThree(addresses) : '<unset>', age(s, now)] };
    },
  },
  endpoints: {
    columns: [nameCol, col('Endpoints', 'string', 'Endpoints of the service'), ageCol],
    row: (ep, now) => ({ cells: [ep.metadata.name, endpointsText(ep), age(ep, now)] }),
  },
  persistentvolumeclaims: {
    columns: [
      nameCol,
      col('Status', 'string', 'Status of the persistent volume claim'),
      col('Volume', 'string', 'Name of the volume'),
      col('Capacity', 'string', 'Capacity of the volume'),
      col('Access Modes', 'string', 'Access modes of the volume'),
      col('StorageClass', 'string', 'Storage class of the volume'),
      ageCol,
      col('VolumeMode', 'string', 'Volume mode of the claim', 1),
    ],
    row: (pvc, now) => ({
      cells: [
        pvc.metadata.name,
        pvc.status?.phase ?? '',
        pvc.spec?.volumeName ?? '',
        pvc.status?.capacity?.storage ?? '',
        accessModes(pvc.status?.accessModes),
        pvc.spec?.storageClassName ?? '',
        age(pvc, now),
        pvc.spec?.volumeMode ?? '<unset>',
      ],
    }),
  },
  resourcequotas: {
    columns: [nameCol, ageCol, col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'), col('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.')],
    row: (q, now) => ({ cells: [q.metadata.name, age(q, now), quotaUsage(q, 'requests'), quotaUsage(q, 'limits')] }),
  },
  horizontalpodautoscalers: {
    columns: [
      nameCol,
      col('Reference', 'string', 'reference to the target resource'),
      col('Targets', 'string', 'the current and target metrics'),
      col('MinPods', 'string', 'minimum number of replicas'),
      col('MaxPods', 'string', 'maximum number of replicas'),
      col('Replicas', 'string', 'current number of replicas'),
      ageCol,
    ],
    row: (hpa, now) => ({
      cells: [
        hpa.metadata.name,
        `${hpa.spec?.scaleTargetRef?.kind ?? ''}/${hpa.spec?.scaleTargetRef?.name ?? ''}`,
        hpaTargets(hpa),
        hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
        hpa.spec?.maxReplicas ?? 0,
        hpa.status?.currentReplicas ?? 0,
        age(hpa, now),
      ],
    }),
  },
  poddisruptionbudgets: {
    columns: [
      nameCol,
      col('Min Available', 'string', 'The minimum number of pods that must be available'),
      col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable'),
      col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time'),
      ageCol,
    ],
    row: (pdb, now) => ({
      cells: [
        pdb.metadata.name,
        pdb.spec?.minAvailable !== undefined ? String(pdb.spec.minAvailable) : 'N/A',
        pdb.spec?.maxUnavailable !== undefined ? String(pdb.spec.maxUnavailable) : 'N/A',
        pdb.status?.disruptionsAllowed ?? 0,
        age(pdb, now),
      ],
    }),
  },
  networkpolicies: {
    columns: [nameCol, col('Pod-Selector', 'string', 'Selector is a label query over pods that should be selected'), ageCol],
    row: (np, now) => ({ cells: [np.metadata.name, orNone(selectorToString(np.spec?.podSelector)), age(np, now)] }),
  },
  leases: {
    columns: [nameCol, col('Holder', 'string', 'Name of the current holder of the lease'), ageCol],
    row: (l, now) => ({ cells: [l.metadata.name, l.spec?.holderIdentity ?? '', age(l, now)] }),
  },
  controllerrevisions: {
    columns: [nameCol, col('Controller', 'string', 'Controller of the object'), col('Revision', 'integer', 'Revision indicates the revision of the state represented by Data.'), ageCol],
    row: (cr, now) => {
      const owner = (cr.metadata.ownerReferences ?? []).find((o: any) => o.controller);
      const group = owner ? String(owner.apiVersion).split('/')[0] : '';
      const controller = owner ? `${owner.kind.toLowerCase()}${owner.apiVersion.includes('/') ? `.${group}` : ''}/${owner.name}` : '<none>';
      return { cells: [cr.metadata.name, controller, cr.revision ?? 0, age(cr, now)] };
    },
  },
};
