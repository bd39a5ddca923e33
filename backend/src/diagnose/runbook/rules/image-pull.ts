import type { RunbookFacts } from '../gather-runbook-facts.js';
import type { RunbookRule } from '../rule-types.js';
import { eventsWith, statusesOf } from '../pod-facts.js';
import { planRollback, templatePostconditions, withForcedRollback } from '../plan-rollback.js';
import { nameOf, recreateStep } from '../rule-helpers.js';

const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

export type PullFailure = 'tag-missing' | 'repository-missing-or-auth' | 'rate-limited' | 'registry-unreachable' | 'invalid-name' | 'unknown';

/** Classifies the kubelet's pull failure text (containerd and dockershim wordings). Order matters: auth before "not found". */
export function classifyPullFailure(message: string, reason?: string): PullFailure {
  if (reason === 'InvalidImageName' || /invalid reference format|InvalidImageName/i.test(message)) return 'invalid-name';
  if (/toomanyrequests|rate limit|429 Too Many Requests/i.test(message)) return 'rate-limited';
  if (/pull access denied|repository does not exist|may require authorization|unauthorized|authentication required|401|403 Forbidden|denied:/i.test(message)) return 'repository-missing-or-auth';
  if (/not found|manifest unknown|NotFound/i.test(message)) return 'tag-missing';
  if (/no such host|i\/o timeout|connection refused|dial tcp|TLS handshake timeout|deadline exceeded|network is unreachable|50[234]/i.test(message)) return 'registry-unreachable';
  return 'unknown';
}

const MEANING: Record<PullFailure, string> = {
  'tag-missing': 'the tag does not exist in the repository',
  'repository-missing-or-auth': 'the repository does not exist or needs credentials',
  'rate-limited': 'the registry is rate limiting pulls',
  'registry-unreachable': 'the registry cannot be reached',
  'invalid-name': 'the image reference is not a valid name',
  unknown: 'the image cannot be pulled',
};

/** An image that cannot be pulled, why (from the kubelet's message), and the last image that ran. */
export const imagePullRule: RunbookRule = {
  id: 'image-pull',
  class: 'image',
  diagnose(facts, settings) {
    const hit = facts.pods.flatMap((pod) => statusesOf(pod).filter((s) => PULL_REASONS.has(s.state?.waiting?.reason ?? '')).map((s) => ({ pod, s })))[0];
    if (!hit) return undefined;
    const podName = hit.pod.metadata.name ?? '';
    const event = eventsWith(facts.events, ['Failed'], new Set([podName])).find((e) => /pull|image/i.test(String(e.message))) ?? eventsWith(facts.events, ['Failed']).find((e) => /Failed to pull image/.test(String(e.message)));
    const message = String(event?.message ?? hit.s.state?.waiting?.message ?? '');
    const kind = classifyPullFailure(message, hit.s.state?.waiting?.reason);
    const spec = [...(hit.pod.spec?.initContainers ?? []), ...(hit.pod.spec?.containers ?? [])].find((c: { name: string }) => c.name === hit.s.name) as { image?: string } | undefined;
    const image = /(?:pull|pulling) image "([^"]+)"/i.exec(message)?.[1] ?? spec?.image ?? hit.s.image ?? '?';
    const lastRan = lastImageThatRan(facts, hit.s.name, image);
    const evidence = [
      { fact: `pod ${podName} ${hit.s.init ? 'init ' : ''}container ${hit.s.name}: ${hit.s.state?.waiting?.reason}${message ? `: ${message.slice(0, 260)}` : ''}`, source: event ? 'get_events' : 'get_pod_status' },
      { fact: lastRan ? `the last image that ran for ${hit.s.name}: ${lastRan}` : `no earlier revision ran another image for ${hit.s.name}`, source: 'get_deployment_history' },
    ];
    const rootCause = `${hit.s.init ? 'init ' : ''}container ${hit.s.name} of ${nameOf(facts)} cannot pull image ${image}: ${MEANING[kind]}`;
    const plan = planRollback(facts);
    const transient = kind === 'rate-limited' || kind === 'registry-unreachable';
    if (plan && facts.workload && !transient) {
      return {
        rootCause: `${rootCause}; revision ${plan.from} introduced it and revision ${plan.revision} (${plan.images}) was healthy`,
        confidence: plan.confidence,
        evidence: [...evidence, ...plan.evidence],
        action: withForcedRollback(facts, settings, plan, {
          command: plan.command,
          description: `Roll ${facts.workload.name} back to revision ${plan.revision} (${plan.images}), the last image that ran`,
          confidence: plan.confidence,
          expectedEffect: `${facts.workload.name} runs revision ${plan.revision}'s template again and all replicas become ready`,
          postconditions: templatePostconditions(facts.workload, settings, true),
        }),
      };
    }
    const human =
      kind === 'tag-missing' ? `push tag ${image} or deploy a tag that exists${lastRan ? ` (${lastRan} ran before)` : ''}; the agent never picks a tag that was never deployed`
      : kind === 'repository-missing-or-auth' ? `fix the repository name or give the pods pull credentials (imagePullSecrets); the agent never creates credentials`
      : transient ? 'wait for or fix registry access (mirror, pull-through cache, credentials for higher limits)'
      : 'fix the image reference';
    return {
      rootCause,
      confidence: 0.8,
      evidence: plan ? [...evidence, ...plan.evidence] : evidence,
      humanStep: recreateStep(facts, human),
      wouldDo: plan && transient ? `roll back with \`${plan.command}\` only if the old image is cached on the nodes` : undefined,
    };
  },
};

function lastImageThatRan(facts: RunbookFacts, container: string, current: string): string | undefined {
  for (const rev of facts.history.slice(1)) {
    const img = rev.images.map((i) => i.split('=')).find(([c]) => c === container)?.[1];
    if (img && img !== current) return `${img} (revision ${rev.revision})`;
  }
  for (const pod of facts.pods) {
    const s = statusesOf(pod).find((x) => x.name === container && (x.state?.running || x.lastState?.terminated) && x.image && x.image !== current);
    if (s?.image) return `${s.image} (pod ${pod.metadata.name})`;
  }
  return undefined;
}
