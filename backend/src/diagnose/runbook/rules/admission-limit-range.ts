import type { RunbookRule } from '../rule-types.js';
import { eventsWith } from '../pod-facts.js';
import { nameOf } from '../rule-helpers.js';

// pods "x" is forbidden: [maximum memory usage per Container is 512Mi, but limit is 1Gi, minimum cpu usage per Container is 100m, but request is 50m]
const LIMIT_RANGE = /(maximum|minimum) (\S+) usage per (Container|Pod) is (\S+), but (limit|request) is (\S+?)[.,\]]?(?:\s|$)|(\S+) max limit to request ratio per (Container|Pod) is (\S+)/;

/** A LimitRange refusing the controller's pods: which bound, the allowed value and the spec's value. */
export const admissionLimitRangeRule: RunbookRule = {
  id: 'admission-limit-range',
  class: 'admission',
  diagnose(facts) {
    const event = eventsWith(facts.events, ['FailedCreate']).find((e) => LIMIT_RANGE.test(String(e.message)));
    if (!event) return undefined;
    const message = String(event.message);
    const m = LIMIT_RANGE.exec(message)!;
    const range = facts.limitRanges?.[0]?.metadata.name;
    const what = m[1] ? `the ${m[1]} ${m[2]} per ${m[3]} is ${m[4]} but the ${m[5]} is ${m[6]}` : `the ${m[7]} limit-to-request ratio per ${m[8]} may be at most ${m[9]}`;
    return {
      rootCause: `LimitRange${range ? ` ${range}` : ''} in ${facts.target.namespace} refuses new pods of ${nameOf(facts)}: ${what}`,
      confidence: 0.85,
      evidence: [{ fact: `${(event.involvedObject as { kind?: string }).kind} ${(event.involvedObject as { name?: string }).name}: FailedCreate: ${message.slice(0, 300)}`, source: 'get_events' }],
      humanStep: `set the ${m[2] ?? 'resource'} ${m[5] ?? 'values'} of the pod template within the LimitRange, or change the LimitRange`,
    };
  },
};
