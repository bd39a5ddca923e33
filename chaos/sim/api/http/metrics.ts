// metrics.k8s.io/v1beta1 as metrics-server serves it: PodMetrics and NodeMetrics computed on each request from the
// kubelets' usage under the program model (never stored, no watch). `kubectl top pods|nodes` reads these.
import { notFound } from '../../store/errors.js';
import type { SimObject } from '../../store/types.js';
import type { ContainerUsage } from '../../kubelet/runtime-view.js';
import { fieldsMatch, labelsMatch, parseFieldSelector, parseLabelSelector } from '../selectors.js';
import type { HandlerContext } from './context.js';
import { sendJson } from './respond.js';

const API_VERSION = 'metrics.k8s.io/v1beta1';
/** metrics-server's default resolution: usage averaged over a window, reported with its length. */
const POD_WINDOW = '15s';
const NODE_WINDOW = '20s';
/** What the node's own processes (kubelet, containerd, system daemons) use besides the pods. */
const NODE_SYSTEM = { cpu: 0.05, memory: 600 * 2 ** 20 };

const nanocores = (cores: number): string => `${Math.round(cores * 1e9)}n`;
const kibibytes = (bytes: number): string => `${Math.round(bytes / 1024)}Ki`;
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function metadataOf(o: SimObject, now: number): Record<string, unknown> {
  const meta: Record<string, unknown> = { name: o.metadata.name };
  if (o.metadata.namespace) meta.namespace = o.metadata.namespace;
  meta.creationTimestamp = stamp(now);
  if (o.metadata.labels) meta.labels = o.metadata.labels;
  return meta;
}

function podUsage(ctx: HandlerContext, pod: SimObject): ContainerUsage[] | undefined {
  if (!pod.spec?.nodeName || pod.status?.phase !== 'Running') return undefined;
  return ctx.runtime.view?.podUsage(pod.metadata.uid, pod.spec.nodeName);
}

function podMetrics(ctx: HandlerContext, pod: SimObject, usage: ContainerUsage[]): Record<string, unknown> {
  const now = ctx.now();
  return {
    metadata: metadataOf(pod, now),
    timestamp: stamp(now - 5000),
    window: POD_WINDOW,
    containers: usage.map((u) => ({ name: u.name, usage: { cpu: nanocores(u.cpu), memory: kibibytes(u.memory) } })),
  };
}

function nodeMetrics(ctx: HandlerContext, node: SimObject): Record<string, unknown> | undefined {
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if (ready?.status !== 'True') return undefined;
  let cpu = NODE_SYSTEM.cpu;
  let memory = NODE_SYSTEM.memory;
  for (const pod of ctx.store.peekList('pods')) {
    if (pod.spec?.nodeName !== node.metadata.name) continue;
    for (const u of podUsage(ctx, pod) ?? []) {
      cpu += u.cpu;
      memory += u.memory;
    }
  }
  const now = ctx.now();
  return { metadata: metadataOf(node, now), timestamp: stamp(now - 5000), window: NODE_WINDOW, usage: { cpu: nanocores(cpu), memory: kibibytes(memory) } };
}

export function handleMetrics(ctx: HandlerContext): void {
  const pods = ctx.info.kind === 'PodMetrics';
  const labels = parseLabelSelector(ctx.query.get('labelSelector'));
  const fields = parseFieldSelector(ctx.query.get('fieldSelector'));
  const source = pods ? 'pods' : 'nodes';
  const build = (o: SimObject): Record<string, unknown> | undefined => {
    if (!pods) return nodeMetrics(ctx, o);
    const usage = podUsage(ctx, o);
    return usage ? podMetrics(ctx, o, usage) : undefined;
  };
  if (ctx.name) {
    const object = ctx.store.peek(source, ctx.namespace, ctx.name);
    const item = object && build(object);
    if (!item) throw notFound({ resource: pods ? 'pods' : 'nodes', group: 'metrics.k8s.io' }, ctx.name);
    sendJson(ctx.res, 200, { kind: ctx.info.kind, apiVersion: API_VERSION, ...item });
    return;
  }
  const items: unknown[] = [];
  for (const o of ctx.store.peekList(source, ctx.namespace)) {
    if (!labelsMatch(labels, o.metadata.labels) || !fieldsMatch(fields, o)) continue;
    const item = build(o);
    if (item) items.push(item);
  }
  sendJson(ctx.res, 200, { kind: ctx.info.listKind, apiVersion: API_VERSION, metadata: {}, items });
}
