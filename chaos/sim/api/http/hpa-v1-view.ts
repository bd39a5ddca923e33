// autoscaling/v1 HorizontalPodAutoscalers are a view of the autoscaling/v2 objects in the store, as on a real
// server (`kubectl autoscale` creates through v1). Like the real conversion, what v1 cannot express (other
// metrics, behavior) rides in annotations so that a v1 round trip loses nothing; conditions are shown there too.

/* eslint-disable @typescript-eslint/no-explicit-any */

import type { SimObject } from '../../store/types.js';

const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';

const isCpuUtilization = (m: any): boolean => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization';

/** autoscaling/v2 → autoscaling/v1. */
export function toHpaV1(object: SimObject): SimObject {
  const o = object as any;
  const spec = o.spec ?? {};
  const metrics: any[] = spec.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  const annotations: Record<string, string> = { ...(o.metadata?.annotations ?? {}) };
  if (others.length) annotations[METRICS] = JSON.stringify(others);
  if (spec.behavior) annotations[BEHAVIOR] = JSON.stringify(spec.behavior);
  const status = o.status ?? {};
  if (status.conditions?.length) annotations[CONDITIONS] = JSON.stringify(status.conditions);
  const currentOthers = (status.currentMetrics ?? []).filter((m: any) => !(m?.type === 'Resource' && m.resource?.name === 'cpu'));
  if (currentOthers.length) annotations[CURRENT_METRICS] = JSON.stringify(currentOthers);
  const currentCpu = (status.currentMetrics ?? []).find((m: any) => m?.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.current?.averageUtilization;
  const v1Spec: Record<string, unknown> = { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas };
  if (cpu) v1Spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  const v1Status: Record<string, unknown> = { currentReplicas: status.currentReplicas ?? 0, desiredReplicas: status.desiredReplicas ?? 0 };
  if (status.observedGeneration !== undefined) v1Status.observedGeneration = status.observedGeneration;
  if (status.lastScaleTime) v1Status.lastScaleTime = status.lastScaleTime;
  if (currentCpu !== undefined) v1Status.currentCPUUtilizationPercentage = currentCpu;
  const metadata = { ...o.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata, spec: v1Spec, status: v1Status } as unknown as SimObject;
}

/** autoscaling/v1 → autoscaling/v2 (the store's shape). */
export function fromHpaV1(body: Record<string, any>): SimObject {
  const metadata = { ...(body.metadata ?? {}) };
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  const parse = (key: string): any => {
    const text = annotations[key];
    delete annotations[key];
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  const others = parse(METRICS);
  const behavior = parse(BEHAVIOR);
  const conditions = parse(CONDITIONS);
  parse(CURRENT_METRICS);
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const spec = body.spec ?? {};
  const metrics: any[] = [];
  if (spec.targetCPUUtilizationPercentage !== undefined && spec.targetCPUUtilizationPercentage !== null) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  if (Array.isArray(others)) metrics.push(...others);
  const v2Spec: Record<string, unknown> = { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas };
  if (metrics.length) v2Spec.metrics = metrics;
  if (behavior) v2Spec.behavior = behavior;
  const out: Record<string, unknown> = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: v2Spec };
  if (body.status) {
    const s = body.status;
    const status: Record<string, unknown> = { currentReplicas: s.currentReplicas, desiredReplicas: s.desiredReplicas };
    if (s.observedGeneration !== undefined) status.observedGeneration = s.observedGeneration;
    if (s.lastScaleTime) status.lastScaleTime = s.lastScaleTime;
    if (conditions) status.conditions = conditions;
    if (s.currentCPUUtilizationPercentage !== undefined) {
      status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.currentCPUUtilizationPercentage } } }];
    }
    out.status = status;
  }
  return out as unknown as SimObject;
}
