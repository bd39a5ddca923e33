// Subresources: /scale (autoscaling/v1 Scale), pods/log, pods/binding and pods/eviction.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { badRequest, conflict, internalError, invalid, kubeletUnreachable, notFound, tooManyRequests } from '../../store/errors.js';
import type { SimObject } from '../../store/types.js';
import { cloneObject } from '../../store/memory-store.js';
import { deleteObject } from '../delete-object.js';
import { matchesSelector, selectorToString } from '../selectors.js';
import { isDryRun, parseBody, type HandlerContext } from './context.js';
import { sendFollowedLog } from './log-follow.js';
import { sendJson, sendText } from './respond.js';
import { applyPatchBody } from './writes.js';

function mustGet(ctx: HandlerContext): SimObject {
  const object = ctx.store.peek(ctx.resource, ctx.namespace, ctx.name as string);
  if (!object) throw notFound(ctx.info, ctx.name as string);
  return object;
}

function scaleOf(object: SimObject): Record<string, any> {
  const m = object.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: object.spec?.replicas ?? 0 },
    status: { replicas: object.status?.replicas ?? 0, selector: selectorToString(object.spec?.selector) },
  };
}

export function handleScale(ctx: HandlerContext, method: string): void {
  const object = mustGet(ctx);
  if (method === 'GET') {
    sendJson(ctx.res, 200, scaleOf(object));
    return;
  }
  let scale: Record<string, any>;
  if (method === 'PUT') scale = parseBody(ctx, 'Scale');
  else scale = applyPatchBody(ctx, scaleOf(object));
  const replicas = scale.spec?.replicas;
  if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
    throw invalid('Scale', 'autoscaling', ctx.name as string, [
      { type: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${replicas}: must be greater than or equal to 0` },
    ]);
  }
  const rv = scale.metadata?.resourceVersion;
  if (rv && rv !== object.metadata.resourceVersion) throw conflict(ctx.info, ctx.name as string);
  const next = cloneObject(object);
  next.spec = { ...(next.spec ?? {}), replicas };
  const updated = ctx.store.update(ctx.resource, next, { dryRun: isDryRun(ctx) });
  sendJson(ctx.res, 200, scaleOf(updated));
}

function logTimestamp(status: any, pod: SimObject): string {
  const at = status?.state?.running?.startedAt ?? status?.state?.terminated?.startedAt ?? pod.metadata.creationTimestamp;
  return String(at).replace(/Z$/, '.000000000Z');
}

export function handleLog(ctx: HandlerContext): void {
  const pod = mustGet(ctx);
  const containers: any[] = pod.spec?.containers ?? [];
  const inits: any[] = pod.spec?.initContainers ?? [];
  let container = ctx.query.get('container');
  if (!container) {
    if (containers.length === 1) container = containers[0].name;
    else {
      const names = containers.map((c) => c.name).join(' ');
      const initNames = inits.map((c) => c.name).join(' ');
      throw badRequest(
        `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names}]${initNames ? ` or one of the init containers: [${initNames}]` : ''}`,
      );
    }
  }
  if (![...containers, ...inits].some((c) => c.name === container)) {
    throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  }
  if (!pod.spec?.nodeName) {
    ctx.res.writeHead(204, { 'Cache-Control': 'no-cache, private' });
    ctx.res.end();
    return;
  }
  // Logs are proxied to the node's kubelet; a dead one (heartbeat stopped) cannot answer (500_pod_logs_no_kubelet).
  const node = ctx.store.peek('nodes', undefined, pod.spec.nodeName);
  if (node?.metadata.annotations?.['sim.oncall-agent.dev/heartbeat'] === 'stop') {
    const host = pod.spec.nodeName;
    const ip = (node.status?.addresses as Array<{ type: string; address: string }> | undefined)?.find((a) => a.type === 'InternalIP')?.address ?? '127.0.0.1';
    throw kubeletUnreachable(
      `Get "https://${host}:10250/containerLogs/${pod.metadata.namespace}/${pod.metadata.name}/${container}": dial tcp ${ip}:10250: connect: connection refused`,
    );
  }
  const statuses: any[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const status = statuses.find((s) => s.name === container);
  const previous = ctx.query.get('previous') === 'true';
  if (previous && !status?.lastState?.terminated) {
    throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
  }
  const hasRun = status && (status.state?.running || status.state?.terminated || status.lastState?.terminated || status.restartCount > 0);
  if (!previous && !hasRun) {
    const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
    throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`);
  }
  // The log annotation overrides what the program model wrote.
  const text = pod.metadata.annotations?.[`sim.oncall-agent.dev/log.${container}`];
  let lines =
    text !== undefined
      ? text === ''
        ? []
        : text.replace(/\n$/, '').split('\n')
      : [...(ctx.runtime.view?.containerLogs(pod.metadata.uid, pod.spec.nodeName, container as string, previous) ?? [])];
  // Every simulated line is written when the container starts: sinceSeconds/sinceTime keep them only if that
  // start is recent enough.
  const writtenAt = Date.parse(logTimestamp(previous ? { state: status.lastState } : status, pod));
  const sinceSeconds = ctx.query.get('sinceSeconds');
  const sinceTime = ctx.query.get('sinceTime');
  const since = sinceSeconds !== null ? ctx.now() - Number(sinceSeconds) * 1000 : sinceTime !== null ? Date.parse(sinceTime) : undefined;
  if (since !== undefined && Number.isFinite(since) && writtenAt < since) lines = [];
  const tail = ctx.query.get('tailLines');
  if (tail !== null && Number(tail) >= 0) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
  if (ctx.query.get('timestamps') === 'true') {
    const stamp = logTimestamp(previous ? { state: status.lastState } : status, pod);
    lines = lines.map((l) => `${stamp} ${l}`);
  }
  let body = lines.map((l) => `${l}\n`).join('');
  const limit = ctx.query.get('limitBytes');
  if (limit !== null && Number(limit) > 0) body = Buffer.from(body).subarray(0, Number(limit)).toString('utf8');
  if (ctx.query.get('follow') === 'true' && !previous) return sendFollowedLog(ctx, pod, container as string, body);
  sendText(ctx.res, 200, body);
}

export function handleBinding(ctx: HandlerContext, podName: string | undefined): void {
  const body = parseBody(ctx, 'Binding') as any;
  const name = podName ?? body?.metadata?.name;
  const pod = ctx.store.peek('pods', ctx.namespace, name);
  if (!pod) throw notFound({ resource: 'pods', group: '' }, name);
  const target = body?.target?.name;
  if (!target) throw badRequest('target.name is required');
  if (pod.spec?.nodeName) {
    throw conflict({ resource: 'pods/binding', group: '' }, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  }
  if (!isDryRun(ctx)) {
    const next = cloneObject(pod);
    next.spec.nodeName = target;
    const bound = ctx.store.update('pods', next, { skipAdmission: true });
    const conditions = (bound.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    ctx.store.updateStatus('pods', { ...bound, status: { ...(bound.status ?? {}), conditions } }, { skipAdmission: true });
  }
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

function intOrPercent(value: any, total: number): number {
  if (typeof value === 'string' && value.endsWith('%')) return Math.ceil((Number(value.slice(0, -1)) * total) / 100);
  return Number(value);
}

function isReady(pod: SimObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** policy/v1 Eviction: honours PodDisruptionBudgets (429), then deletes the pod gracefully. */
export function handleEviction(ctx: HandlerContext): void {
  const body = parseBody(ctx, 'Eviction') as any;
  const pod = mustGet(ctx);
  const dryRun = isDryRun(ctx, body.deleteOptions ?? {});
  const success = () => sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  const remove = () =>
    deleteObject(ctx.store, 'pods', pod.metadata.namespace, pod.metadata.name, {
      gracePeriodSeconds: body.deleteOptions?.gracePeriodSeconds,
      preconditions: body.deleteOptions?.preconditions,
      dryRun,
    });
  const phase = pod.status?.phase;
  if (pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending') {
    remove();
    success();
    return;
  }
  const pdbs = ctx.store
    .peekList('poddisruptionbudgets', pod.metadata.namespace)
    .filter((pdb) => pdb.spec?.selector && matchesSelector(pdb.spec.selector, pod.metadata.labels ?? {}));
  if (pdbs.length > 1) throw internalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  if (pdbs.length === 1) {
    const pdb = pdbs[0];
    const tracked = pdb.status?.observedGeneration !== undefined && pdb.status.observedGeneration >= (pdb.metadata.generation ?? 0);
    let allowed: number;
    let desired: number;
    let healthy: number;
    if (tracked && pdb.status.disruptionsAllowed !== undefined) {
      allowed = pdb.status.disruptionsAllowed;
      desired = pdb.status.desiredHealthy ?? 0;
      healthy = pdb.status.currentHealthy ?? 0;
    } else {
      const pods = ctx.store
        .peekList('pods', pod.metadata.namespace)
        .filter((p) => !p.metadata.deletionTimestamp && matchesSelector(pdb.spec.selector, p.metadata.labels ?? {}));
      healthy = pods.filter(isReady).length;
      const expected = pods.length;
      desired = pdb.spec.minAvailable !== undefined ? intOrPercent(pdb.spec.minAvailable, expected) : expected - intOrPercent(pdb.spec.maxUnavailable ?? 0, expected);
      allowed = Math.max(0, healthy - desired);
    }
    if (allowed <= 0) {
      throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [
        { reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${desired} healthy pods and has ${healthy} currently` },
      ]);
    }
    if (tracked && !dryRun) {
      const disrupted = { ...(pdb.status.disruptedPods ?? {}), [pod.metadata.name]: new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') };
      ctx.store.updateStatus('poddisruptionbudgets', { ...pdb, status: { ...pdb.status, disruptionsAllowed: allowed - 1, disruptedPods: disrupted } }, { skipAdmission: true });
    }
  }
  remove();
  success();
}

/** `kubectl auth can-i`: kube-sim's one user is a cluster admin, so every SelfSubjectAccessReview is allowed. */
export function handleAccessReview(ctx: HandlerContext): void {
  const body = parseBody(ctx, 'SelfSubjectAccessReview') as any;
  sendJson(ctx.res, 201, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: body.spec ?? {},
    status: { allowed: true },
  });
}
