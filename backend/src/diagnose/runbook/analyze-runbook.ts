import type { KubeObject } from '../../domain/kube.js';
import type { Evidence } from '../../domain/proposal.js';
import { ageSeconds, selectorOf } from '../../tools/format.js';
import { isPodHealthy, podReason, restartCountOf } from '../../tools/pod-summary.js';
import type { NormalisedProposal } from '../proposal-schema.js';
import type { RunbookFacts } from './gather-runbook-facts.js';
import { findOomKill, planMemoryRaise } from './oom-rule.js';
import { planUncordon } from './unschedulable-rule.js';
import { lastNonZeroReplicas } from './replicas-history.js';

export interface RunbookSettings {
  memoryLimitCapMi: number;
  noCrashLoopWindowSeconds: number;
}

// Reasons of unhealthy pods only: a Deployment's container that "Completed" is restarted, so it crash-loops too.
const CRASH_REASONS = new Set(['CrashLoopBackOff', 'Error', 'Completed', 'ContainerCannotRun', 'StartError', 'RunContainerError']);
const IMAGE_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);
const CONFIG_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError']);

/** Above SKIP_BELOW_CONFIDENCE (0.7), below YOLO_MIN_CONFIDENCE (0.8): proposed, never run without a human by default. */
export const UNCORDON_CONFIDENCE = 0.75;

function escalate(reason: string, evidence: Evidence[], rootCause = reason, confidence = 0.5): NormalisedProposal {
  return { rootCause, confidence, evidence, escalate: { required: true, reason }, actions: [] };
}

function waitingReasons(pod: KubeObject): string[] {
  return ((pod.status?.containerStatuses as Array<{ state?: { waiting?: { reason?: string } } }>) ?? [])
    .map((s) => s.state?.waiting?.reason)
    .filter((r): r is string => Boolean(r));
}

/**
 * The offline runbook: a fixed table of symptoms read from cluster state, each with one safe action or an
 * escalation. Pure and deterministic. Order matters: the most specific diagnosis wins (a config error or an
 * OOM kill explains a crash loop better than "the last rollout").
 */
export function analyzeRunbook(facts: RunbookFacts, settings: RunbookSettings): NormalisedProposal {
  const { deployment, pods, history, target } = facts;
  const evidence: Evidence[] = [];
  if (!deployment) return escalateNotDeployment(facts);
  const name = deployment.metadata.name ?? '';
  const ns = deployment.metadata.namespace ?? target.namespace;
  const selector = selectorOf(deployment.spec?.selector?.matchLabels) ?? '';
  const ref = `deployment/${name} -n ${ns}`;
  const [newest, previous] = history;
  if (newest) {
    evidence.push({
      fact: `revision ${newest.revision} (${newest.images.join(', ')}): ${newest.readyReplicas}/${newest.replicas} ready, ${newest.unhealthyPods} unhealthy pods${newest.podReasons.length ? ` (${newest.podReasons.join(', ')})` : ''}`,
      source: 'get_deployment_history',
    });
  }
  if (previous) {
    evidence.push({ fact: `previous revision ${previous.revision} (${previous.images.join(', ')}) is ${previous.health}`, source: 'get_deployment_history' });
  }

  // A Service with no ready endpoints because its Deployment is at zero replicas.
  const desired = Number(deployment.spec?.replicas ?? 1);
  if (desired === 0) {
    const svc = facts.service?.metadata.name;
    const ready = ((facts.endpoints?.subsets as Array<{ addresses?: unknown[] }>) ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
    evidence.push({ fact: `deployment ${name} is scaled to 0 replicas`, source: 'get_deployment' });
    if (!svc || ready > 0) return escalate(`deployment ${name} is at 0 replicas but no Service depends on it; scaling to zero may be intended`, evidence);
    const replicas = lastNonZeroReplicas(deployment, facts);
    evidence.push({ fact: `service ${svc} has 0 ready endpoints`, source: 'get_service_endpoints' });
    return {
      rootCause: `Service ${svc} has no ready endpoints because deployment ${name} is scaled to 0 replicas`,
      confidence: 0.85,
      evidence,
      escalate: { required: false },
      actions: [
        {
          command: `kubectl scale deployment/${name} -n ${ns} --replicas=${replicas.count}`,
          description: `Scale ${name} back to ${replicas.count} replica(s) (${replicas.from})`,
          confidence: 0.85,
          expectedEffect: `pods of ${name} start and service ${svc} gets ready endpoints`,
          postconditions: [{ type: 'endpointsReady', namespace: ns, service: svc }],
        },
      ],
    };
  }

  // Missing ConfigMap/Secret and other container config errors: no safe automatic fix.
  const configPod = pods.find((p) => waitingReasons(p).some((r) => CONFIG_REASONS.has(r)));
  if (configPod) {
    const status = (configPod.status?.containerStatuses as Array<{ state?: { waiting?: { reason?: string; message?: string } } }>).find((s) =>
      CONFIG_REASONS.has(s.state?.waiting?.reason ?? ''),
    );
    evidence.push({ fact: `pod ${configPod.metadata.name}: ${status?.state?.waiting?.reason}: ${(status?.state?.waiting?.message ?? '').slice(0, 200)}`, source: 'get_pod_status' });
    return escalate('a container cannot be created because of its configuration (missing ConfigMap/Secret or bad reference); a human must supply it', evidence, `pods of ${name} fail with ${status?.state?.waiting?.reason}`, 0.8);
  }

  // A missing ConfigMap/Secret in a volume: the pods stay ContainerCreating with FailedMount events.
  const mount = facts.mountFailures?.[0];
  if (mount && pods.some((p) => waitingReasons(p).includes('ContainerCreating'))) {
    const pod = (mount.involvedObject as { name?: string } | undefined)?.name;
    evidence.push({ fact: `pod ${pod}: FailedMount: ${String(mount.message ?? '').slice(0, 200)}`, source: 'get_events' });
    return escalate('a volume of the pods cannot be mounted (missing ConfigMap/Secret or bad reference); a human must supply it', evidence, `pods of ${name} are stuck ContainerCreating: FailedMount`, 0.8);
  }

  // OOMKilled: raise that container's memory limit.
  const oom = findOomKill(pods);
  if (oom) {
    evidence.push({ fact: `pod ${oom.pod} container ${oom.container} was OOMKilled (lastState.terminated.reason)`, source: 'get_pod_status' });
    const plan = planMemoryRaise(deployment, oom.container, settings.memoryLimitCapMi);
    if (!plan.ok) return escalate(plan.reason, evidence, `container ${oom.container} of ${name} is OOMKilled`, 0.7);
    evidence.push({ fact: plan.detail, source: 'get_deployment' });
    return {
      rootCause: `container ${oom.container} of deployment ${name} is OOMKilled: its memory limit is too low for its workload`,
      confidence: 0.85,
      evidence,
      escalate: { required: false },
      actions: [
        {
          command: `kubectl set resources ${ref} -c ${oom.container} ${plan.args.join(' ')}`,
          description: plan.detail,
          confidence: 0.85,
          expectedEffect: `the new pods of ${name} stop being OOMKilled`,
          postconditions: [{ type: 'noCrashLoop', namespace: ns, selector, windowSeconds: settings.noCrashLoopWindowSeconds }],
        },
      ],
    };
  }

  const newestBad = newest && newest.podReasons.some((r) => CRASH_REASONS.has(r) || IMAGE_REASONS.has(r));
  const previousHealthy = previous?.health === 'healthy';
  // Crash loop or image pull failure that began with the newest revision while the previous one is healthy.
  if (newest && newestBad && previousHealthy) {
    const kind = newest.podReasons.some((r) => IMAGE_REASONS.has(r)) ? 'an image pull failure' : 'a crash loop';
    return undo(`revision ${newest.revision} of ${name} introduced ${kind} (${newest.podReasons.join(', ')}); revision ${previous.revision} was healthy`, true);
  }
  // The previous revision was fully replaced (a rollout whose new pods were briefly ready, then began to crash).
  // Its health cannot be observed any more, so the undo is proposed with less confidence: YOLO asks a human.
  if (newest && newestBad && previous?.health === 'scaled-down') {
    evidence.push({
      fact: `revision ${previous.revision} is scaled down to 0, so its health cannot be observed now; it ran before revision ${newest.revision} replaced it`,
      source: 'get_deployment_history',
    });
    return undo(`revision ${newest.revision} of ${name} probably introduced the failure (${newest.podReasons.join(', ')}); revision ${previous.revision} ran before it`, true, 0.75);
  }
  // Readiness probe failing after a new revision.
  const readinessFailing = newest && previousHealthy && newest.health === 'unhealthy' && newestPodsRunningUnready(facts, newest.replicaSet);
  if (newest && readinessFailing) {
    evidence.push({ fact: `pods of revision ${newest.revision} are Running but never become Ready (readiness probe failing)`, source: 'get_events' });
    evidence.push(...readinessEvidence(facts));
    return undo(`the readiness probe fails on revision ${newest.revision} of ${name}; revision ${previous.revision} was healthy`, false);
  }
  if (newestBad || pods.some((p) => waitingReasons(p).some((r) => CRASH_REASONS.has(r) || IMAGE_REASONS.has(r)))) {
    return escalate(
      `pods of ${name} are failing (${newest?.podReasons.join(', ') || 'crash loop'}) and no earlier healthy revision exists to roll back to; deleting pods would not help`,
      evidence,
      `pods of ${name} are crash-looping or cannot pull their image, with no healthy earlier revision`,
      0.6,
    );
  }

  // Readiness failing with nothing healthy to roll back to (the first revision, or the previous one unhealthy too).
  const probe = readinessEvidence(facts);
  if (newest && newest.health === 'unhealthy' && probe.length > 0 && newestPodsRunningUnready(facts, newest.replicaSet)) {
    evidence.push(...probe);
    return escalate(
      `the readiness probe of ${name} fails and no earlier healthy revision exists to roll back to; a human must look at the application or the probe`,
      evidence,
      `pods of ${name} run but fail their readiness probe`,
      0.6,
    );
  }

  // Pending because every node that would fit is cordoned.
  if (facts.nodes) {
    const plan = planUncordon(pods, facts.nodes);
    evidence.push(...plan.evidence);
    if (!plan.ok) return escalate(plan.reason, evidence, `pods of ${name} are Pending as unschedulable`, 0.6);
    // The runbook calls this high risk: a cordon is a human's decision (maintenance, a bad node), and undoing it
    // opens the node to every pending pod, not only these. The scorer rates uncordon medium (issue 5's table), so the
    // caution is expressed here: below YOLO_MIN_CONFIDENCE, YOLO asks a human rather than uncordon on its own.
    return {
      rootCause: `pods of ${name} are Pending: every node that fits them is cordoned`,
      confidence: UNCORDON_CONFIDENCE,
      evidence,
      escalate: { required: false },
      actions: [
        {
          command: `kubectl uncordon ${plan.node}`,
          description: `Uncordon ${plan.node}, the most recently cordoned node that fits the pending pods (someone cordoned it: a human confirms)`,
          confidence: UNCORDON_CONFIDENCE,
          expectedEffect: `the pending pods of ${name} are scheduled on ${plan.node} and become ready`,
          postconditions: [{ type: 'podsReady', namespace: ns, selector, minReady: Math.max(1, desired) }],
        },
      ],
    };
  }

  return escalate(`no failure the runbook knows was found in the cluster state of ${name}; a human should look`, evidence, 'unknown', 0.3);

  function undo(rootCause: string, withNoCrashLoop: boolean, confidence = 0.9): NormalisedProposal {
    return {
      rootCause,
      confidence,
      evidence,
      escalate: { required: false },
      actions: [
        {
          command: `kubectl rollout undo ${ref}`,
          description: `Roll ${name} back to revision ${previous!.revision}`,
          confidence,
          expectedEffect: `${name} runs revision ${previous!.revision}'s template again and all replicas become ready`,
          postconditions: [
            { type: 'rolloutComplete', namespace: ns, deployment: name },
            ...(withNoCrashLoop ? [{ type: 'noCrashLoop' as const, namespace: ns, selector, windowSeconds: settings.noCrashLoopWindowSeconds }] : []),
          ],
        },
      ],
    };
  }
}

function ownerOf(pod: KubeObject | undefined): string {
  const ref = pod?.metadata.ownerReferences?.find((o) => o.controller) ?? pod?.metadata.ownerReferences?.[0];
  return ref ? `controlled by ${ref.kind} ${ref.name}` : 'a bare pod, no controller';
}

/** The runbook only acts on Deployments: say what the target is and what its pods show, and take no action. */
function escalateNotDeployment(facts: RunbookFacts): NormalisedProposal {
  const { target, pods } = facts;
  const what = `${target.kind ?? 'target'} ${target.kind === 'Node' ? '' : `${target.namespace}/`}${target.name ?? target.selector ?? ''}`;
  const evidence: Evidence[] = [{ fact: `target resolved to ${what} from ${target.resolvedFrom ?? 'the alert'}`, source: 'resolve_target' }];
  for (const pod of pods.slice(0, 3)) {
    const reason = podReason(pod) ?? (isPodHealthy(pod) ? 'healthy' : String(pod.status?.phase ?? 'unknown'));
    evidence.push({ fact: `pod ${pod.metadata.name}: ${reason}, ${restartCountOf(pod)} restart(s)`, source: 'get_pod_status' });
  }
  const why =
    target.kind === 'StatefulSet' || target.kind === 'DaemonSet'
      ? `${what} is a ${target.kind}, not a Deployment: the runbook does not roll back or scale it`
      : target.kind === 'Pod'
        ? `pod ${target.namespace}/${target.name} has no Deployment controlling it (${ownerOf(pods[0])}): the runbook does not act on it`
        : target.kind === 'Node'
          ? `${what} is a node: the runbook does not act on nodes from a node alert`
          : `no Deployment found for ${what}`;
  const failing = pods.map((p) => podReason(p)).filter((r): r is string => Boolean(r));
  const rootCause = failing.length > 0 ? `pods of ${what} are failing (${[...new Set(failing)].join(', ')})` : `unknown (${what})`;
  return escalate(`${why}; the runbook only acts on Deployments, a human must look`, evidence, rootCause, 0.5);
}

/** The newest readiness-probe failure reported on the workload's pods, as evidence. */
function readinessEvidence(facts: RunbookFacts): Evidence[] {
  const event = facts.unhealthyEvents.find((e) => /readiness/i.test(String(e.message ?? '')));
  if (!event) return [];
  const pod = (event.involvedObject as { name?: string } | undefined)?.name;
  return [{ fact: `pod ${pod}: Unhealthy ×${Number(event.count ?? 1)}: ${String(event.message ?? '').slice(0, 200)}`, source: 'get_events' }];
}

/** Pods of one ReplicaSet that run but are not ready, with readiness failures reported (or a probe defined). */
function newestPodsRunningUnready(facts: RunbookFacts, replicaSet: string): boolean {
  const pods = facts.pods.filter((p) => p.metadata.ownerReferences?.some((o) => o.name === replicaSet));
  const unready = pods.filter(
    (p) =>
      p.status?.phase === 'Running' &&
      ((p.status?.containerStatuses as Array<{ ready?: boolean; state?: { running?: unknown } }>) ?? []).some((s) => s.state?.running && !s.ready),
  );
  if (unready.length === 0) return false;
  const names = new Set(unready.map((p) => p.metadata.name));
  const reported = facts.unhealthyEvents.some((e) => names.has((e.involvedObject as { name?: string }).name) && /readiness/i.test(String(e.message ?? '')));
  if (reported) return true;
  // Without a reported probe failure, require a probe and that it has had time to pass: a pod that just started is
  // still progressing, not failing.
  const hasProbe = ((facts.deployment?.spec?.template?.spec?.containers as Array<{ readinessProbe?: unknown }>) ?? []).some((c) => c.readinessProbe);
  const deadlineExceeded = ((facts.deployment?.status?.conditions as Array<{ type: string; reason?: string }>) ?? []).some(
    (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
  );
  const longUnready = unready.some((p) => (ageSeconds(p.status?.startTime ?? p.metadata.creationTimestamp) ?? 0) >= 60);
  return hasProbe && (deadlineExceeded || longUnready);
}
