// Server-side printers: columns and row cells per resource, as the real apiserver's (always "wide"; kubectl hides
// priority-1 columns). Resources without a printer get the default Name / Created At table, as on a real server.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { translateTimestampSince } from './age.js';
import { AGE_DESCRIPTION, CAPTURED_COLUMNS } from './captured-columns.js';
import { OTHER_PRINTERS } from './other-printers.js';
import { BATCH_AND_STORAGE_PRINTERS } from './batch-printers.js';
import { podWideCells, summarizePod } from './pod-status.js';
import { ageCol, age, col, containerCells, containersCol, imagesCol, nameCol, type Printer } from './printer-helpers.js';
import type { Cell, ColumnDefinition } from './table-types.js';
import { formatLabels, selectorToString } from '../selectors.js';

export type { Printer } from './printer-helpers.js';

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

function eventTimestamp(value: string | undefined, now: number): string {
  return translateTimestampSince(value, now);
}

const ROWS: Record<string, Printer> = {
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
  ...OTHER_PRINTERS,
  ...BATCH_AND_STORAGE_PRINTERS,
};

const DEFAULT_COLUMNS: ColumnDefinition[] = [nameCol, col('Created At', 'date', AGE_DESCRIPTION)];

/** The printer for a store key; the default Name / Created At table when the server has none. */
export function printerFor(resource: string): Printer {
  return (
    ROWS[resource] ?? {
      columns: DEFAULT_COLUMNS,
      row: (o: any) => ({ cells: [o.metadata.name, o.metadata.creationTimestamp ?? null] }),
    }
  );
}
