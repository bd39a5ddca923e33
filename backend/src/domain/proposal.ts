import type { Target } from './incident.js';

/** A typed check the verify stage runs after an action. */
export type Postcondition =
  | { type: 'rolloutComplete'; namespace: string; deployment: string }
  | { type: 'podsReady'; namespace: string; selector: string; minReady: number }
  | { type: 'replicasAtLeast'; namespace: string; deployment: string; n: number }
  | { type: 'noCrashLoop'; namespace: string; selector: string; windowSeconds: number }
  | { type: 'nodeSchedulable'; node: string }
  /** The node is cordoned (spec.unschedulable): what `kubectl cordon` must leave behind. */
  | { type: 'nodeCordoned'; node: string }
  | { type: 'endpointsReady'; namespace: string; service: string }
  | { type: 'none' };

/** One remediation step: exactly one kubectl command line (no shell), scored and verified on its own. */
export interface ProposedAction {
  /** A single kubectl command line, e.g. "kubectl rollout undo deployment/web -n shop". Untrusted text. */
  command: string;
  description: string;
  /** 0..1 */
  confidence: number;
  expectedEffect: string;
  /** All must hold for the action to count as verified; [{type:'none'}] means unverifiable. */
  postconditions: Postcondition[];
}

/** A fact the proposal relies on, naming the tool result it came from. */
export interface Evidence {
  fact: string;
  source: string;
}

/** Token use and latency of one diagnosis. */
export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  latencyMs: number;
  rounds: number;
  model?: string;
}

/**
 * Why a human must look. `reason` is the whole story in one string (audit trail, CLI, Events); the runbook also
 * gives its parts, so a channel that shortens text (a PagerDuty note) can put each on its own line.
 */
export interface EscalationDetail {
  required: boolean;
  reason?: string;
  /** What a person must do, as one sentence. */
  humanStep?: string;
  /** What the agent would run if a human approved it; absent when it proposes no change of its own. */
  wouldDo?: string;
}

/** `mcp`: the action was named by an MCP client's bounded action tool (nothing was diagnosed). */
export type AnalyzerName = 'claude' | 'runbook' | 'mcp';

export interface RemediationProposal {
  incidentId: string;
  analyzer: AnalyzerName;
  target?: Target;
  rootCause: string;
  /** 0..1 */
  confidence: number;
  evidence: Evidence[];
  escalate: EscalationDetail;
  actions: ProposedAction[];
  usage?: LlmUsage;
  /** Set when the analyzer failed and the proposal is an empty escalation, e.g. invalid model output. */
  error?: string;
  /** Set with `error` when the failure may pass (the API server unreachable or throttled): the queue retries the job. */
  retryable?: boolean;
  /** Set when the Claude analyzer failed and the runbook analyzer stood in. */
  fallbackReason?: string;
}
