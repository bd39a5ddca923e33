import type { RunbookRule } from '../rule-types.js';
import { eventsWith } from '../pod-facts.js';
import { nameOf } from '../rule-helpers.js';

// Error creating: pods "web-7d-x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2
const EXCEEDED = /exceeded quota: ([^,]+), requested: (.*?), used: (.*?), limited: (.*?)$/;
// Error creating: pods "x" is forbidden: failed quota: compute: must specify limits.cpu for: app
const MUST_SPECIFY = /failed quota: ([^:]+): (must specify .*)$/;

/** A ResourceQuota refusing the controller's pods (FailedCreate): the quota, what was requested, used and hard. */
export const admissionQuotaRule: RunbookRule = {
  id: 'admission-quota',
  class: 'admission',
  diagnose(facts) {
    const event = eventsWith(facts.events, ['FailedCreate']).find((e) => /exceeded quota|failed quota/.test(String(e.message)));
    if (!event) return undefined;
    const message = String(event.message);
    const exceeded = EXCEEDED.exec(message);
    const must = MUST_SPECIFY.exec(message);
    const quotaName = (exceeded?.[1] ?? must?.[1] ?? '').trim();
    const quota = facts.quotas?.find((q) => q.metadata.name === quotaName);
    const owner = (event.involvedObject as { kind?: string; name?: string }) ?? {};
    const evidence = [{ fact: `${owner.kind} ${owner.name}: FailedCreate ×${Number(event.count ?? 1)}: ${message.slice(0, 300)}`, source: 'get_events' }];
    if (quota) evidence.push({ fact: `resourcequota ${quotaName}: hard ${JSON.stringify(quota.status?.hard ?? quota.spec?.hard ?? {})}, used ${JSON.stringify(quota.status?.used ?? {})}`, source: 'check_resource_quotas' });
    const detail = exceeded ? `requested ${exceeded[2]}, used ${exceeded[3]}, hard limit ${exceeded[4].trim()}` : (must?.[2] ?? message.slice(0, 160));
    return {
      rootCause: `ResourceQuota ${quotaName || '(unnamed)'} in ${facts.target.namespace} refuses new pods of ${nameOf(facts)}: ${detail}`,
      confidence: 0.85,
      evidence,
      humanStep: `raise quota ${quotaName} or free its resources in ${facts.target.namespace} (the agent never changes a quota)`,
    };
  },
};
