import type { KubeObject } from '../../domain/kube.js';
import { memoryMi } from '../../kube/quantity.js';

type Status = { name: string; state?: { terminated?: { reason?: string } }; lastState?: { terminated?: { reason?: string; finishedAt?: string } } };

/**
 * An OOM kill older than this is history, not the incident: a container that was OOMKilled once hours ago and has
 * run fine since must not turn a later failure (a bad rollout) into a memory raise. An hour still catches a slow
 * leak that is killed again and again.
 */
export const OOM_RECENT_SECONDS = 3600;

/** The most recent OOM kill among the pods: lastState.terminated.reason (or the current state) is OOMKilled, recently. */
export function findOomKill(pods: KubeObject[], now = Date.now()): { pod: string; container: string; init?: boolean } | undefined {
  let best: { pod: string; container: string; at: string; init?: boolean } | undefined;
  for (const pod of pods) {
    const statuses = [...((pod.status?.initContainerStatuses as Status[]) ?? []).map((s) => ({ ...s, init: true })), ...((pod.status?.containerStatuses as Status[]) ?? [])] as Array<Status & { init?: boolean }>;
    for (const s of statuses) {
      const t = s.state?.terminated?.reason === 'OOMKilled' ? s.state.terminated : s.lastState?.terminated?.reason === 'OOMKilled' ? s.lastState.terminated : undefined;
      if (!t) continue;
      const at = (t as { finishedAt?: string }).finishedAt ?? '';
      const finished = Date.parse(at);
      if (Number.isFinite(finished) && now - finished > OOM_RECENT_SECONDS * 1000) continue;
      if (!best || at > best.at) best = { pod: pod.metadata.name ?? '?', container: s.name, at, ...(s.init ? { init: true } : {}) };
    }
  }
  return best && { pod: best.pod, container: best.container, ...(best.init ? { init: true } : {}) };
}

export type MemoryPlan = { ok: true; args: string[]; detail: string; newLimitMi: number } | { ok: false; reason: string };

/**
 * Twice the container's current memory limit, capped; the request is lowered to the new limit only if it exceeds
 * it (kubectl set resources rejects request > limit). No limit, or already at the cap → escalate instead.
 */
export function planMemoryRaise(deployment: KubeObject, container: string, capMi: number): MemoryPlan {
  const spec = ((deployment.spec?.template?.spec?.containers as Array<{ name: string; resources?: { limits?: Record<string, string>; requests?: Record<string, string> } }>) ?? []).find(
    (c) => c.name === container,
  );
  if (!spec) return { ok: false, reason: `container ${container} is not in the deployment's pod template` };
  const current = memoryMi(spec.resources?.limits?.memory);
  if (current === undefined) {
    return { ok: false, reason: `container ${container} has no memory limit, so the OOM kill came from node memory pressure; a human must size it` };
  }
  if (current >= capMi) {
    return { ok: false, reason: `container ${container}'s memory limit (${current}Mi) is already at or above the cap RUNBOOK_MEMORY_LIMIT_CAP_MI=${capMi}Mi` };
  }
  const next = Math.min(current * 2, capMi);
  const args = [`--limits=memory=${next}Mi`];
  const request = memoryMi(spec.resources?.requests?.memory);
  if (request !== undefined && request > next) args.push(`--requests=memory=${next}Mi`);
  return { ok: true, args, newLimitMi: next, detail: `raise ${container}'s memory limit from ${current}Mi to ${next}Mi (2x, cap ${capMi}Mi)` };
}
