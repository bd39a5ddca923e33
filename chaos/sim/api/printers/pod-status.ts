// The pod row kubectl shows (READY, STATUS, RESTARTS), computed as the real server's printPod (v1.26) does.
// Pure: takes the pod and "now", returns the cells. Rules in SEMANTICS.md, "Pod STATUS column".

/* eslint-disable @typescript-eslint/no-explicit-any */

import { translateTimestampSince } from './age.js';
import type { RowCondition } from './table-types.js';

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
  conditions?: RowCondition[];
}

const SUCCEEDED: RowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const FAILED: RowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

function terminatedWithoutReason(terminated: any, prefix: string): string {
  return terminated.signal ? `${prefix}Signal:${terminated.signal}` : `${prefix}ExitCode:${terminated.exitCode ?? 0}`;
}

export function summarizePod(pod: any, now: number): PodSummary {
  const spec = pod?.spec ?? {};
  const status = pod?.status ?? {};
  let restarts = 0;
  let readyContainers = 0;
  let lastRestart = 0;
  const totalContainers = (spec.containers ?? []).length;
  let reason: string = status.phase ?? '';
  if (status.reason) reason = status.reason;

  const noteRestart = (container: any) => {
    restarts += container.restartCount ?? 0;
    const finishedAt = container.lastState?.terminated?.finishedAt;
    if (finishedAt) {
      const at = Date.parse(finishedAt);
      if (!Number.isNaN(at) && at > lastRestart) lastRestart = at;
    }
  };

  let initializing = false;
  const initStatuses: any[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    noteRestart(container);
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (terminated) reason = terminated.reason ? `Init:${terminated.reason}` : terminatedWithoutReason(terminated, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }

  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const statuses: any[] = status.containerStatuses ?? [];
    // Walk backwards so that the first container with a reason wins.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      noteRestart(container);
      const waiting = container.state?.waiting;
      const terminated = container.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminatedWithoutReason(terminated, '');
      else if (container.ready && container.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCondition = (status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
      reason = readyCondition ? 'Running' : 'NotReady';
    }
  }

  if (pod?.metadata?.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';

  const restartText = lastRestart ? `${restarts} (${translateTimestampSince(new Date(lastRestart).toISOString(), now)} ago)` : String(restarts);
  const summary: PodSummary = { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartText };
  if (status.phase === 'Succeeded') summary.conditions = SUCCEEDED;
  else if (status.phase === 'Failed') summary.conditions = FAILED;
  return summary;
}

/** IP, Node, Nominated Node, Readiness Gates (the -o wide columns). */
export function podWideCells(pod: any): string[] {
  const status = pod?.status ?? {};
  const spec = pod?.spec ?? {};
  const ip = status.podIPs?.[0]?.ip || '<none>';
  const node = spec.nodeName || '<none>';
  const nominated = status.nominatedNodeName || '<none>';
  let gates = '<none>';
  const declared: any[] = spec.readinessGates ?? [];
  if (declared.length) {
    let trueCount = 0;
    for (const gate of declared) {
      const condition = (status.conditions ?? []).find((c: any) => c.type === gate.conditionType);
      if (condition?.status === 'True') trueCount++;
    }
    gates = `${trueCount}/${declared.length}`;
  }
  return [ip, node, nominated, gates];
}
