// The runbook's rules, in the order the applier tries them: the most specific cause first (a node down explains
// everything on it; a quota or a Pending pod explains missing pods; a config error or an OOM kill explains a crash loop
// better than "the last rollout"). One rule per file; the applier is apply-rules.ts.
import type { RunbookRule } from '../rule-types.js';
import { nodeNotReadyRule } from './node-not-ready.js';
import { scaledToZeroRule } from './scaled-to-zero.js';
import { admissionQuotaRule } from './admission-quota.js';
import { admissionLimitRangeRule } from './admission-limit-range.js';
import { schedulingPvcRule } from './scheduling-pvc.js';
import { schedulingCordonedRule } from './scheduling-cordoned.js';
import { schedulingUnexplainedRule } from './scheduling-unexplained.js';
import { schedulingNodeSelectorRule } from './scheduling-node-selector.js';
import { schedulingTaintsRule } from './scheduling-taints.js';
import { schedulingResourcesRule } from './scheduling-resources.js';
import { schedulingAntiAffinityRule } from './scheduling-anti-affinity.js';
import { configMissingRule } from './config-missing.js';
import { imagePullRule } from './image-pull.js';
import { initContainerRule } from './init-container.js';
import { oomKilledRule } from './oom-killed.js';
import { jobBackoffRule } from './job-backoff.js';
import { livenessProbeRule } from './liveness-probe.js';
import { crashLoopRule } from './crash-loop.js';
import { readinessProbeRule } from './readiness-probe.js';
import { serviceSelectorRule } from './service-selector.js';
import { serviceTargetPortRule } from './service-target-port.js';
import { hpaMetricsRule } from './hpa-metrics.js';
import { hpaMaxRule } from './hpa-max.js';
import { pdbBlockingRule } from './pdb-blocking.js';
import { podsFailingRule } from './pods-failing.js';
import { rolloutRegressionRule } from './rollout-regression.js';

export const RUNBOOK_RULES: readonly RunbookRule[] = [
  nodeNotReadyRule,
  scaledToZeroRule,
  admissionQuotaRule,
  admissionLimitRangeRule,
  schedulingPvcRule,
  schedulingCordonedRule,
  schedulingNodeSelectorRule,
  schedulingTaintsRule,
  schedulingResourcesRule,
  schedulingAntiAffinityRule,
  schedulingUnexplainedRule,
  configMissingRule,
  imagePullRule,
  initContainerRule,
  oomKilledRule,
  jobBackoffRule,
  livenessProbeRule,
  crashLoopRule,
  readinessProbeRule,
  serviceSelectorRule,
  serviceTargetPortRule,
  hpaMetricsRule,
  hpaMaxRule,
  pdbBlockingRule,
  rolloutRegressionRule,
  podsFailingRule,
];
