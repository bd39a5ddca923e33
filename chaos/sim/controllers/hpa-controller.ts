// horizontal-pod-autoscaler: computes desired replicas from a simulated CPU utilization (HPA annotation
// sim.oncall-agent.dev/cpu-utilization, else the average of the same annotation on the target's pods) and scales
// the target within min/max, with the real status shape and SuccessfulRescale events.
import type { SimObject } from '../store/types.js';
import type { Controller, ControllerContext } from './controller-context.js';
import { controllerEvent, isoTime, splitKey } from './controller-context.js';
import { matchesSelector } from './label-selector.js';
import { byNamespace, objectKey } from './object-cache.js';
import { isActivePod } from './pod-helpers.js';
import { unconditional, writeOwnStatus } from './sim-object.js';
import { createWorkQueue } from './work-queue.js';

export const CPU_ANNOTATION = 'sim.oncall-agent.dev/cpu-utilization';
const SYNC_SECONDS = 15;
const COMPONENT = 'horizontal-pod-autoscaler';
const NO_METRICS = 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';
/** Default behavior: scale-down stabilisation 300 s; scale up at most max(+100%, +4 pods) per 15 s. */
const SCALE_DOWN_WINDOW_SECONDS = 300;
const TOLERANCE = 0.1;
const KIND_TO_RESOURCE: Record<string, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', ReplicaSet: 'replicasets' };

/** The replica count the HPA algorithm recommends, before min/max clamping. */
export function recommendReplicas(current: number, utilization: number, target: number): number {
  if (current === 0 || target <= 0) return current;
  const ratio = utilization / target;
  if (Math.abs(ratio - 1) <= TOLERANCE) return current;
  return Math.ceil(current * ratio);
}

/** Applies the default HPA behavior to a raw recommendation: stabilised scale-down, rate-limited scale-up. */
export function stabilise(current: number, recommended: number, history: Array<{ at: number; replicas: number }>, now: number, windowMs: number): number {
  if (recommended < current) {
    const recent = history.filter((h) => now - h.at <= windowMs).map((h) => h.replicas);
    return Math.min(current, Math.max(recommended, ...recent));
  }
  return Math.min(recommended, Math.max(current * 2, current + 4));
}

export function startHpaController(ctx: ControllerContext): Controller {
  const { store, cache, clock } = ctx;
  const recommendations = new Map<string, Array<{ at: number; replicas: number }>>();
  cache.addIndex('pods', 'ns', byNamespace);
  const queue = createWorkQueue(COMPONENT, reconcile);
  cache.on('horizontalpodautoscalers', (event, old) => {
    if (!old || JSON.stringify(old.spec) !== JSON.stringify(event.object.spec) || JSON.stringify(old.metadata.annotations) !== JSON.stringify(event.object.metadata.annotations)) {
      queue.add(objectKey(event.object));
    }
  });

  function utilizationFor(hpa: SimObject, pods: SimObject[]): number | undefined {
    const own = Number(hpa.metadata.annotations?.[CPU_ANNOTATION]);
    if (hpa.metadata.annotations?.[CPU_ANNOTATION] !== undefined && Number.isFinite(own)) return own;
    const values = pods.map((p) => Number(p.metadata.annotations?.[CPU_ANNOTATION])).filter((n) => Number.isFinite(n));
    if (values.length === 0) return undefined;
    return Math.round(values.reduce((a, b) => a + b, 0) / values.length);
  }

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const hpa = cache.get('horizontalpodautoscalers', ns, name);
    if (!hpa) {
      recommendations.delete(key);
      return;
    }
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const resource = KIND_TO_RESOURCE[ref.kind];
    const target = resource ? cache.get(resource, ns, ref.name) : undefined;
    const at = isoTime(clock.now());
    const old = hpa.status ?? {};
    const minReplicas = hpa.spec?.minReplicas ?? 1;
    const maxReplicas = hpa.spec?.maxReplicas ?? minReplicas;
    const metric = ((hpa.spec?.metrics ?? []) as Array<{ type: string; resource?: { name: string; target?: { averageUtilization?: number } } }>).find(
      (m) => m.type === 'Resource' && m.resource?.name === 'cpu',
    );
    const targetUtilization = metric?.resource?.target?.averageUtilization ?? 80;
    const condition = (type: string, status: string, reason: string, message: string) => {
      const prev = (old.conditions ?? []).find((c: { type: string }) => c.type === type);
      return { type, status, lastTransitionTime: prev?.status === status ? prev.lastTransitionTime : at, reason, message };
    };
    let status: Record<string, unknown>;
    if (!target) {
      // The scale client's error names the scale subresource: `deployments/scale.apps "x" not found`.
      const notFound = `${resource ?? String(ref.kind ?? 'target').toLowerCase()}/scale.apps "${ref.name}" not found`;
      controllerEvent(ctx, COMPONENT, hpa, 'Warning', 'FailedGetScale', notFound);
      status = {
        ...old,
        currentReplicas: old.currentReplicas ?? 0,
        desiredReplicas: old.desiredReplicas ?? 0,
        conditions: [condition('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${notFound}`)],
      };
    } else {
      const current = target.spec?.replicas ?? 1;
      const pods = cache.byIndex('pods', 'ns', ns as string).filter((p) => isActivePod(p) && matchesSelector(target.spec?.selector, p.metadata.labels));
      const utilization = utilizationFor(hpa, pods);
      if (utilization === undefined) {
        // What a cluster without metrics-server shows on every sync (aggregated into counts by the recorder).
        controllerEvent(ctx, COMPONENT, hpa, 'Warning', 'FailedGetResourceMetric', NO_METRICS);
        controllerEvent(ctx, COMPONENT, hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${NO_METRICS}`);
        status = {
          ...old,
          currentReplicas: current,
          desiredReplicas: old.desiredReplicas ?? current,
          conditions: [
            condition('AbleToScale', 'True', 'SucceededGetScale', 'the HPA controller was able to get the target\'s current scale'),
            condition('ScalingActive', 'False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${NO_METRICS}`),
          ],
        };
      } else {
        const recommended = recommendReplicas(current, utilization, targetUtilization);
        const clamped = Math.min(maxReplicas, Math.max(minReplicas, recommended));
        const history = (recommendations.get(key) ?? []).filter((h) => clock.now() - h.at <= clock.toRealMs(SCALE_DOWN_WINDOW_SECONDS));
        const desired = current === 0 ? 0 : stabilise(current, clamped, history, clock.now(), clock.toRealMs(SCALE_DOWN_WINDOW_SECONDS));
        history.push({ at: clock.now(), replicas: clamped });
        recommendations.set(key, history);
        let lastScaleTime = old.lastScaleTime;
        if (desired !== current && current > 0) {
          store.update(resource as string, unconditional(target, { spec: { ...target.spec, replicas: desired } }), { skipAdmission: true });
          lastScaleTime = at;
          const direction = desired > current ? 'above' : 'below';
          controllerEvent(ctx, COMPONENT, hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: cpu resource utilization (percentage of request) ${direction} target`);
        }
        const limited = recommended > maxReplicas || recommended < minReplicas;
        status = {
          ...(old.observedGeneration !== undefined ? { observedGeneration: hpa.metadata.generation } : {}),
          ...(lastScaleTime ? { lastScaleTime } : {}),
          currentReplicas: current,
          desiredReplicas: desired,
          currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: utilization, averageValue: `${utilization}m` } } }],
          conditions: [
            condition('AbleToScale', 'True', desired === current ? 'ReadyForNewScale' : 'SucceededRescale', desired === current ? 'recommended size matches current size' : `the HPA controller was able to update the target scale to ${desired}`),
            condition('ScalingActive', 'True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)'),
            limited
              ? condition('ScalingLimited', 'True', recommended > maxReplicas ? 'TooManyReplicas' : 'TooFewReplicas', `the desired replica count is ${recommended > maxReplicas ? 'more' : 'less'} than the ${recommended > maxReplicas ? 'maximum' : 'minimum'} replica count`)
              : condition('ScalingLimited', 'False', 'DesiredWithinRange', 'the desired count is within the acceptable range'),
          ],
        };
      }
    }
    if (JSON.stringify(status) === JSON.stringify(old)) return;
    writeOwnStatus(store, 'horizontalpodautoscalers', hpa, status);
  }

  const cancel = clock.every(SYNC_SECONDS, () => cache.list('horizontalpodautoscalers').forEach((h) => queue.add(objectKey(h))));
  for (const h of cache.list('horizontalpodautoscalers')) queue.add(objectKey(h));
  return {
    stop: () => {
      cancel();
      queue.stop();
    },
  };
}
