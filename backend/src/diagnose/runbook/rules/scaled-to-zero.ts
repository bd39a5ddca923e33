import type { RunbookRule } from '../rule-types.js';
import { lastNonZeroReplicas } from '../replicas-history.js';

/** A Service with no ready endpoints because its Deployment is at zero: scale back to the recorded count. */
export const scaledToZeroRule: RunbookRule = {
  id: 'scaled-to-zero',
  class: 'scale',
  diagnose(facts) {
    const w = facts.workload;
    if (!w || w.kind !== 'Deployment' || Number(w.object.spec?.replicas ?? 1) !== 0) return undefined;
    const svc = facts.service?.metadata.name;
    const ready = ((facts.endpoints?.subsets as Array<{ addresses?: unknown[] }>) ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
    const evidence = [{ fact: `deployment ${w.name} is scaled to 0 replicas`, source: 'get_deployment' }];
    if (!svc || ready > 0) {
      return { rootCause: `deployment ${w.name} is at 0 replicas but no Service depends on it; scaling to zero may be intended`, confidence: 0.5, evidence, humanStep: 'confirm whether the scale-down was intended' };
    }
    const replicas = lastNonZeroReplicas(w.object, facts);
    evidence.push({ fact: `service ${svc} has 0 ready endpoints`, source: 'get_service_endpoints' }, { fact: `last non-zero count: ${replicas.count} (${replicas.from})`, source: 'get_events' });
    // A recorded count is no guess: YOLO may restore it. Without one, 1 is a guess and a human confirms.
    const confidence = replicas.recorded ? 0.85 : 0.72;
    return {
      rootCause: `Service ${svc} has no ready endpoints because deployment ${w.name} is scaled to 0 replicas (it ran ${replicas.recorded ? replicas.count : 'an unrecorded number of'} replica(s) before)`,
      confidence,
      evidence,
      action: {
        command: `kubectl scale deployment/${w.name} -n ${w.namespace} --replicas=${replicas.count}`,
        description: `Scale ${w.name} back to ${replicas.count} replica(s) (${replicas.from})`,
        confidence,
        expectedEffect: `pods of ${w.name} start and service ${svc} gets ready endpoints`,
        postconditions: [{ type: 'endpointsReady', namespace: w.namespace, service: svc }],
      },
    };
  },
};
