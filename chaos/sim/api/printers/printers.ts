// Server-side printers: columns and row cells per resource, as the real apiserver's (always "wide"; kubectl hides
// priority-1 columns). Resources without a printer get the default Name / Created At table, as on a real server.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { translateTimestampSince } from './age.js';
import { AGE_DESCRIPTION, CAPTURED_COLUMNS, NAME_DESCRIPTION } from './captured-columns.js';
import { podWideCells, summarizePod } from './pod-status.js';
import type { Cell, ColumnDefinition, PrintedRow } from './table-types.js';
import { formatLabels, selectorToString } from '../selectors.js';

type RowPrinter = (object: any, now: number) => PrintedRow;

const col = (name: string, type: string, description: string, priority = 0, format = ''): ColumnDefinition => ({
  name,
  type,
  format,
  description,
  priority,
});
const nameCol = col('Name', 'string', NAME_DESCRIPTION, 0, 'name');
const ageCol = col('Age', 'string', AGE_DESCRIPTION);
const containersCol = col('Containers', 'string', 'Names of each container in the template.', 1);
const imagesCol = col('Images', 'string', 'Images referenced by each container in the template.', 1);

const age = (o: any, now: number) => translateTimestampSince(o?.metadata?.creationTimestamp, now);
const containerCells = (spec: any): [string, string] => {
  const containers: any[] = spec?.template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(',')];
};
const orNone = (value: string | undefined | null) => (value ? value : '<none>');

function accessModes(modes: string[] | undefined): string {
  const short: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
  return (modes ?? []).map((m) => short[m] ?? m).join(',');
}

function servicePorts(ports: any[] | undefined): string {
  const parts = (ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`));
  return parts.length ? parts.join(',') : '<none>';
}

function serviceExternalIp(svc: any): string {
  const spec = svc.spec ?? {};
  const external: string[] = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ExternalName':
      return spec.externalName ?? '<none>';
    case 'LoadBalancer': {
      const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).filter(Boolean);
      const all = [...ingress, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    default:
      return external.length ? external.join(',') : '<none>';
  }
}

function nodeRoles(node: any): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) roles.add(key.slice('node-role.kubernetes.io/'.length));
    else if (key === 'kubernetes.io/role' && value) roles.add(String(value));
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function nodeAddress(node: any, type: string): string {
  return (node.status?.addresses ?? []).find((a: any) => a.type === type)?.address ?? '<none>';
}

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

function quotaUsage(quota: any, prefix: 'limits' | 'requests' | 'other'): string {
  const hard = quota.status?.hard ?? quota.spec?.hard ?? {};
  const used = quota.status?.used ?? {};
  const keys = Object.keys(hard)
    .filter((k) => (prefix === 'limits' ? k.startsWith('limits.') : !k.startsWith('limits.')))
    .sort();
  return keys.map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`).join(', ');
}

function eventTimestamp(value: string | undefined, now: number): string {
  return translateTimestampSince(value, now);
}

const ROWS: Record<string, { columns: ColumnDefinition[]; row: RowPrinter }> = {
  pods: {
    columns: CAPTURED_COLUMNS.pods,
    row: (pod, now) => {
      const summary = summarizePod(pod, now);
      const cells: Cell[] = [pod.metadata.name, summary.ready, summary.status, summary.restarts, age(pod, now), ...podWideCells(pod)];
      return summary.conditions ? { cells, conditions: summary.conditions } : { cells };
    },
  },
  deployments: {
    columns: CAPTURED_COLUMNS.deployments,
    row: (d, now) => {
      const s = d.status ?? {};
      return {
        cells: [
          d.metadata.name,
          `${s.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
          s.updatedReplicas ?? 0,
          s.availableReplicas ?? 0,
          age(d, now),
          ...containerCells(d.spec),
          selectorToString(d.spec?.selector),
        ],
      };
    },
  },
  replicasets: {
    columns: CAPTURED_COLUMNS.replicasets,
    row: (rs, now) => ({
      cells: [
        rs.metadata.name,
        rs.spec?.replicas ?? 0,
        rs.status?.replicas ?? 0,
        rs.status?.readyReplicas ?? 0,
        age(rs, now),
        ...containerCells(rs.spec),
        selectorToString(rs.spec?.selector),
      ],
    }),
  },
  daemonsets: {
    columns: CAPTURED_COLUMNS.daemonsets,
    row: (ds, now) => {
      const s = ds.status ?? {};
      return {
        cells: [
          ds.metadata.name,
          s.desiredNumberScheduled ?? 0,
          s.currentNumberScheduled ?? 0,
          s.numberReady ?? 0,
          s.updatedNumberScheduled ?? 0,
          s.numberAvailable ?? 0,
          formatLabels(ds.spec?.template?.spec?.nodeSelector),
          age(ds, now),
          ...containerCells(ds.spec),
          selectorToString(ds.spec?.selector),
        ],
      };
    },
  },
  statefulsets: {
    columns: [nameCol, col('Ready', 'string', 'Number of the pod with ready state'), ageCol, containersCol, imagesCol],
    row: (sts, now) => ({
      cells: [sts.metadata.name, `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`, age(sts, now), ...containerCells(sts.spec)],
    }),
  },
  nodes: {
    columns: CAPTURED_COLUMNS.nodes,
    row: (node, now) => {
      const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      const status: string[] = [];
      if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
      if (!status.length) status.push('Unknown');
      if (node.spec?.unschedulable) status.push('SchedulingDisabled');
      const info = node.status?.nodeInfo ?? {};
      return {
        cells: [
          node.metadata.name,
          status.join(','),
          nodeRoles(node),
          age(node, now),
          info.kubeletVersion ?? '',
          nodeAddress(node, 'InternalIP'),
          nodeAddress(node, 'ExternalIP'),
          info.osImage || '<unknown>',
          info.kernelVersion || '<unknown>',
          info.containerRuntimeVersion || '<unknown>',
        ],
      };
    },
  },
  events: {
    columns: CAPTURED_COLUMNS.events,
    row: (ev, now) => {
      let first = eventTimestamp(ev.firstTimestamp, now);
      if (!ev.firstTimestamp) first = eventTimestamp(ev.eventTime, now);
      let last = ev.lastTimestamp ? eventTimestamp(ev.lastTimestamp, now) : first;
      let count = ev.count ?? 0;
      if (ev.series) {
        last = eventTimestamp(ev.series.lastObservedTime, now);
        count = ev.series.count ?? count;
      } else if (count === 0) count = 1;
      const involved = ev.involvedObject ?? {};
      const kind = String(involved.kind ?? '').toLowerCase();
      const target = involved.name ? `${kind}/${involved.name}` : kind;
      const component = ev.source?.component || ev.reportingComponent || '';
      const instance = ev.source?.host || ev.reportingInstance || '';
      return {
        cells: [
          last,
          ev.type ?? '',
          ev.reason ?? '',
          target,
          involved.fieldPath ?? '',
          instance ? `${component}, ${instance}` : component,
          String(ev.message ?? '').trim(),
          first,
          count,
          ev.metadata.name,
        ],
      };
    },
  },
  services: {
    columns: CAPTURED_COLUMNS.services,
    row: (svc, now) => ({
      cells: [
        svc.metadata.name,
        svc.spec?.type ?? '',
        svc.spec?.clusterIPs?.[0] ?? '<none>',
        serviceExternalIp(svc),
        servicePorts(svc.spec?.ports),
        age(svc, now),
        formatLabels(svc.spec?.selector),
      ],
    }),
  },
  configmaps: {
    columns: CAPTURED_COLUMNS.configmaps,
    row: (cm, now) => ({
      cells: [cm.metadata.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(cm, now)],
    }),
  },
  namespaces: {
    columns: CAPTURED_COLUMNS.namespaces,
    row: (ns, now) => ({ cells: [ns.metadata.name, ns.status?.phase ?? '', age(ns, now)] }),
  },
  secrets: {
    columns: [nameCol, col('Type', 'string', 'The type of the secret'), col('Data', 'string', 'The number of keys in the secret'), ageCol],
    row: (s, now) => ({ cells: [s.metadata.name, s.type ?? '', Object.keys(s.data ?? {}).length, age(s, now)] }),
  },
  serviceaccounts: {
    columns: [nameCol, col('Secrets', 'string', 'The number of secrets referenced by this service account'), ageCol],
    row: (sa, now) => ({ cells: [sa.metadata.name, (sa.secrets ?? []).length, age(sa, now)] }),
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

const DEFAULT_COLUMNS: ColumnDefinition[] = [nameCol, col('Created At', 'date', AGE_DESCRIPTION)];

export interface Printer {
  columns: ColumnDefinition[];
  row: RowPrinter;
}

/** The printer for a store key; the default Name / Created At table when the server has none. */
export function printerFor(resource: string): Printer {
  return (
    ROWS[resource] ?? {
      columns: DEFAULT_COLUMNS,
      row: (o: any) => ({ cells: [o.metadata.name, o.metadata.creationTimestamp ?? null] }),
    }
  );
}
