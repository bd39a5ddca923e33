import type { RunbookRule } from '../rule-types.js';
import { conditionOf, hpaOf } from '../hpa-facts.js';

/** The HPA cannot read its metrics: it cannot scale at all. */
export const hpaMetricsRule: RunbookRule = {
  id: 'hpa-metrics',
  class: 'autoscaling',
  diagnose(facts) {
    const hpa = hpaOf(facts);
    const active = hpa && conditionOf(hpa, 'ScalingActive');
    if (!hpa || !active || active.status !== 'False' || !/FailedGet|InvalidMetricSource|InvalidSelector/.test(active.reason ?? '')) return undefined;
    return {
      rootCause: `HorizontalPodAutoscaler ${hpa.metadata.name} cannot read its metrics (${active.reason}), so ${facts.workload!.kind.toLowerCase()} ${facts.workload!.name} is not autoscaled`,
      confidence: 0.8,
      evidence: [{ fact: `hpa ${hpa.metadata.name}: ScalingActive=False ${active.reason}: ${String(active.message ?? '').slice(0, 240)}`, source: 'get_hpa_status' }],
      humanStep: 'make the metrics available (metrics-server or the adapter, and resource requests on the containers for utilization targets)',
    };
  },
};
