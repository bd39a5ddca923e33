// A cheap second look before the agent resolves a PagerDuty incident: one read of the target and its pods, now, with
// no waiting. The verify stage already proved the fix; this guards against resolving an incident whose symptom came
// back in the meantime (a crash loop that restarts after the verification window, a rollout someone else started).
import type { KubeObject } from '../domain/kube.js';
import type { ClusterReader } from '../domain/ports.js';
import { BAD_WAITING_REASONS, evaluatePodsReady, evaluateRolloutComplete } from './evaluate.js';

export interface RecheckResult {
  clean: boolean;
  detail: string;
}

export interface RecheckTarget {
  kind: string;
  namespace?: string;
  name: string;
}

/** Reads the target once: Deployments (rollout complete, every pod ready, none stuck) and Pods; other kinds are not clean. */
export async function recheckSymptom(target: RecheckTarget, reader: ClusterReader): Promise<RecheckResult> {
  const kind = target.kind.toLowerCase();
  const ns = target.namespace ?? 'default';
  if (kind === 'deployment') {
    const deployment = await reader.get('Deployment', ns, target.name);
    const rollout = evaluateRolloutComplete(deployment);
    if (!rollout.ok || !deployment) return { clean: false, detail: `deployment ${ns}/${target.name}: ${rollout.detail}` };
    const selector = matchLabelsSelector(deployment);
    if (!selector) return { clean: false, detail: `deployment ${ns}/${target.name} has no matchLabels selector to find its pods` };
    const pods = await reader.list('Pod', ns, { labelSelector: selector, limit: 500 });
    const stuck = stuckPods(pods);
    if (stuck.length > 0) return { clean: false, detail: `deployment ${ns}/${target.name}: pods still failing: ${stuck.slice(0, 3).join(', ')}` };
    const ready = evaluatePodsReady(pods, deployment.spec?.replicas ?? 1);
    return ready.ok ? { clean: true, detail: `deployment ${ns}/${target.name}: ${rollout.detail}; ${ready.detail}` } : { clean: false, detail: `deployment ${ns}/${target.name}: ${ready.detail}` };
  }
  if (kind === 'pod') {
    const pod = await reader.get('Pod', ns, target.name);
    if (!pod) return { clean: false, detail: `pod ${ns}/${target.name} not found (replaced?); cannot confirm from one read` };
    const stuck = stuckPods([pod]);
    if (stuck.length > 0) return { clean: false, detail: `pod ${ns}/${target.name} still failing: ${stuck[0]}` };
    const ready = evaluatePodsReady([pod], 1);
    return { clean: ready.ok, detail: `pod ${ns}/${target.name}: ${ready.detail}` };
  }
  return { clean: false, detail: `no re-check for ${target.kind} yet; a human resolves this incident` };
}

function matchLabelsSelector(deployment: KubeObject): string | undefined {
  const labels = (deployment.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? pairs.join(',') : undefined;
}

/** "web-1: CrashLoopBackOff" for each live pod with a container waiting for a reason that will not pass. */
function stuckPods(pods: readonly KubeObject[]): string[] {
  const out: string[] = [];
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const statuses: Array<{ state?: { waiting?: { reason?: string } } }> = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const reason = statuses.map((s) => s.state?.waiting?.reason).find((r) => r && BAD_WAITING_REASONS.includes(r));
    if (reason) out.push(`${pod.metadata.name}: ${reason}`);
  }
  return out;
}
