/* eslint-disable @typescript-eslint/no-explicit-any */
import { describe, expect, it } from 'vitest';
import { fromHpaV1, toHpaV1 } from '../../../chaos/sim/api/http/hpa-v1-view.js';
import type { SimObject } from '../../../chaos/sim/store/types.js';

const v2 = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', annotations: { team: 'a' } },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 5,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
  },
} as unknown as SimObject;

describe('autoscaling/v1 view of an autoscaling/v2 HPA', () => {
  it('shows the CPU target as targetCPUUtilizationPercentage and keeps the rest in annotations', () => {
    const view = toHpaV1(v2) as any;
    expect(view.apiVersion).toBe('autoscaling/v1');
    expect(view.spec).toEqual({ scaleTargetRef: v2.spec.scaleTargetRef, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 70 });
    expect(JSON.parse(view.metadata.annotations['autoscaling.alpha.kubernetes.io/metrics'])).toEqual([v2.spec.metrics[1]]);
  });

  it('a v1 round trip gives back the same v2 spec and annotations', () => {
    const back = fromHpaV1(toHpaV1(v2) as unknown as Record<string, unknown>) as any;
    expect(back.spec).toEqual(v2.spec);
    expect(back.metadata.annotations).toEqual({ team: 'a' });
  });

  it('a v1 body without a CPU target converts to no metrics (the v2 defaults then apply)', () => {
    const back = fromHpaV1({ metadata: { name: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 3 } }) as any;
    expect(back.spec.metrics).toBeUndefined();
    expect(back.metadata.annotations).toBeUndefined();
  });
});
