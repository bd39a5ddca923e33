// Reading a workload's HorizontalPodAutoscaler, shared by the autoscaling rules.
import type { KubeObject } from '../../domain/kube.js';
import type { RunbookFacts } from './gather-runbook-facts.js';

export type HpaCondition = { type: string; status: string; reason?: string; message?: string };

/** The HPA whose scaleTargetRef is the incident's workload. */
export function hpaOf(facts: RunbookFacts): KubeObject | undefined {
  const w = facts.workload;
  if (!w) return undefined;
  return (facts.hpas ?? []).find((h) => h.spec?.scaleTargetRef?.kind === w.kind && h.spec?.scaleTargetRef?.name === w.name);
}

export const conditionOf = (h: KubeObject, type: string): HpaCondition | undefined => ((h.status?.conditions as HpaCondition[]) ?? []).find((c) => c.type === type);
