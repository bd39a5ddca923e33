import { maxRisk, type RiskAssessment, type RiskLevel } from '../domain/risk.js';
import { matchesSelector, type LabelSelector } from './label-selector.js';
import { clusterMagnitude } from './magnitude.js';
import type { ParsedKubectl } from './parse.js';
import { resourceTypeOfKind } from '../kube/resource-types.js';

/**
 * Blast radius: given facts read from the cluster (see gather-blast-radius.ts), how many pods does a command take
 * down or restart, and does it leave a workload with no ready replica or break a PodDisruptionBudget? Pure.
 */

export interface PodFact {
  namespace: string;
  name: string;
  ready: boolean;
  node?: string;
  labels: Record<string, string>;
  /** Key of the controlling workload ("Deployment/shop/web"); undefined for a bare pod nothing recreates. */
  owner?: string;
  /** DaemonSet and mirror (static) pods stay on a drained node. */
  staysOnDrain?: boolean;
}

export interface WorkloadFact {
  /** "Deployment/shop/web" */
  key: string;
  kind: string;
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  /** The largest replica count recorded for it (last-applied configuration, older ReplicaSets): "scale back" target. */
  recordedReplicas?: number;
  /** Its pod template's containers and their resources, for the magnitude of `set resources` and patches. */
  containers?: ContainerResources[];
}

export interface ContainerResources {
  name: string;
  limits: Record<string, string>;
  requests: Record<string, string>;
}

export interface PdbFact {
  namespace: string;
  name: string;
  disruptionsAllowed: number;
  selector: LabelSelector;
}

export interface ServiceFact {
  namespace: string;
  name: string;
  readyEndpoints: number;
}

export interface BlastRadiusFacts {
  /** The pods the command acts on (the named pods, a node's pods for drain, a workload's pods for scale/delete). */
  pods: PodFact[];
  workloads: WorkloadFact[];
  pdbs: PdbFact[];
  services: ServiceFact[];
}

export interface BlastRadius {
  level: RiskLevel;
  reasons: string[];
  /** Pods the command deletes, evicts or restarts. */
  podsTouched: number;
}

export function workloadKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

// A workload kind's resource is spelled by the one table in kube/; `all` covers every workload kind.
const targetsWorkloadKind = (cmd: ParsedKubectl, kind: string) =>
  cmd.resources.includes(resourceTypeOfKind(kind)?.plural ?? '') || cmd.resources.includes('all');

/** Which of the supplied facts the command removes (pods) or takes to zero (workloads). */
function effects(cmd: ParsedKubectl, facts: BlastRadiusFacts): { removed: PodFact[]; restarted: number; readyAfter: Map<string, number> } {
  const readyAfter = new Map<string, number>();
  let removed: PodFact[] = [];
  let restarted = 0;
  const leaf = cmd.commandPath.join(' ');
  const targetsWorkload = (w: WorkloadFact) => targetsWorkloadKind(cmd, w.kind);

  if ((cmd.verb === 'delete' && cmd.resources.includes('pods')) || cmd.verb === 'drain') {
    removed = cmd.verb === 'drain' ? facts.pods.filter((p) => !p.staysOnDrain) : facts.pods;
  } else if (cmd.verb === 'delete') {
    for (const w of facts.workloads.filter(targetsWorkload)) readyAfter.set(w.key, 0);
    removed = facts.pods.filter((p) => p.owner !== undefined && readyAfter.has(p.owner));
  } else if (cmd.verb === 'scale' && cmd.replicas !== undefined) {
    for (const w of facts.workloads.filter(targetsWorkload)) readyAfter.set(w.key, Math.min(w.ready, cmd.replicas));
    removed = facts.workloads.flatMap((w) => {
      const after = readyAfter.get(w.key);
      if (after === undefined) return [];
      return facts.pods.filter((p) => p.owner === w.key).slice(0, Math.max(0, w.ready - after));
    });
  } else if (cmd.verb === 'patch' && cmd.patch?.scalesToZero) {
    for (const w of facts.workloads.filter(targetsWorkload)) readyAfter.set(w.key, 0);
    removed = facts.pods.filter((p) => p.owner !== undefined && readyAfter.has(p.owner));
  } else if (leaf === 'rollout restart' || leaf === 'rollout undo' || leaf === 'set image' || leaf === 'set env' || leaf === 'set resources' || cmd.verb === 'patch') {
    restarted = facts.pods.length;
  }

  // Pods removed from a workload lower its ready count (the controller replaces them, but not instantly).
  for (const w of facts.workloads) {
    if (readyAfter.has(w.key)) continue;
    const lost = removed.filter((p) => p.owner === w.key && p.ready).length;
    if (lost > 0) readyAfter.set(w.key, w.ready - lost);
  }
  return { removed, restarted, readyAfter };
}

export function assessBlastRadius(cmd: ParsedKubectl, facts: BlastRadiusFacts): BlastRadius {
  const reasons: string[] = [];
  const { removed, restarted, readyAfter } = effects(cmd, facts);

  for (const w of facts.workloads) {
    const after = readyAfter.get(w.key);
    if (after !== undefined && w.ready > 0 && after <= 0) {
      reasons.push(`leaves ${w.kind} ${w.namespace}/${w.name} with no ready replica (${w.ready} ready now)`);
    }
  }
  for (const pod of removed) {
    if (pod.owner === undefined && !pod.staysOnDrain) reasons.push(`removes pod ${pod.namespace}/${pod.name}, which no controller recreates`);
  }
  // A PDB guards voluntary disruptions of pods (eviction, deletion); a controller scaling down is not one of them.
  const disruptsPods = cmd.verb === 'drain' || (cmd.verb === 'delete' && cmd.resources.includes('pods'));
  for (const pdb of disruptsPods ? facts.pdbs : []) {
    const covered = removed.filter((p) => p.namespace === pdb.namespace && matchesSelector(pdb.selector, p.labels)).length;
    if (covered > pdb.disruptionsAllowed) {
      reasons.push(`violates PodDisruptionBudget ${pdb.namespace}/${pdb.name}: it allows ${pdb.disruptionsAllowed} disruption(s), the command removes ${covered} covered pod(s)`);
    }
  }
  if (cmd.verb === 'delete' && cmd.resources.includes('services')) {
    for (const svc of facts.services.filter((s) => s.readyEndpoints > 0)) {
      reasons.push(`deletes Service ${svc.namespace}/${svc.name}, which routes traffic to ${svc.readyEndpoints} ready endpoint(s)`);
    }
  }
  reasons.push(...clusterMagnitude(cmd, facts.workloads.filter((w) => targetsWorkloadKind(cmd, w.kind))));
  return { level: reasons.length > 0 ? 'high' : 'low', reasons, podsTouched: removed.length + restarted };
}

/** The assessment with the blast radius folded in: the level only ever rises, and its reasons are added. */
export function withBlastRadius<T extends RiskAssessment>(assessment: T, blast: BlastRadius): T {
  const blastReasons = blast.reasons.map((r) => `blast radius: ${r}`);
  const touched = `blast radius: touches ${blast.podsTouched} pod(s)`;
  // Keep "most severe first": blast reasons lead only when they set the level.
  const raises = maxRisk(assessment.level, blast.level) !== assessment.level;
  return {
    ...assessment,
    level: maxRisk(assessment.level, blast.level),
    reasons: raises ? [...blastReasons, ...assessment.reasons, touched] : [...assessment.reasons, ...blastReasons, touched],
  };
}
