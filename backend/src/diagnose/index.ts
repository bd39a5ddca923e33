import type { Incident, Target } from '../domain/incident.js';
import type { ClusterReader } from '../domain/ports.js';
import type { AnalyzerName, LlmUsage, RemediationProposal } from '../domain/proposal.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { LlmClient } from '../llm/types.js';
import { TransientError } from '../domain/errors.js';
import { LlmError } from '../llm/llm-errors.js';
import type { PagerDutyRestClient } from '../pagerduty/rest-client.js';
import type { ActiveJobsSource, ExternalTools, ToolContext } from '../tools/types.js';
import { errorMessage } from '../tools/format.js';
import { enrichIncident } from './enrich-incident.js';
import { resolveTarget } from './resolve-target.js';
import { gatherContext } from './gather-context.js';
import { buildFirstMessage } from './build-first-message.js';
import { analyzeWithClaude } from './claude-analyzer.js';
import { gatherRunbookFacts } from './runbook/gather-runbook-facts.js';
import { analyzeRunbook } from './runbook/analyze-runbook.js';
import { remediationProposalSchema, type NormalisedProposal } from './proposal-schema.js';
import { createCachedReader } from './cached-reader.js';

/** The settings diagnosis reads (a subset of Config). */
export interface DiagnoseSettings {
  LLM_MAX_TOOL_ROUNDS: number;
  LLM_FALLBACK_TO_RUNBOOK: boolean;
  RUNBOOK_MEMORY_LIMIT_CAP_MI: number;
  NO_CRASHLOOP_WINDOW_SECONDS: number;
}

/** Small ports diagnosis runs on. llm absent = the runbook analyzer. */
export interface DiagnoseDeps {
  reader: ClusterReader;
  llm?: LlmClient;
  pagerDuty?: Pick<PagerDutyRestClient, 'listIncidentAlerts' | 'listOpenIncidents'>;
  activeJobs?: ActiveJobsSource;
  /** Read-only tools of other MCP servers, offered to the Claude loop (not to the runbook analyzer). */
  externalTools?: ExternalTools;
  config: DiagnoseSettings;
  logger: Logger;
  metrics?: Pick<Metrics, 'llmTokens' | 'diagnosisLatency'>;
  now?: () => number;
}

/**
 * Turns an incident into a validated RemediationProposal. Never throws for bad model output or an unreachable
 * Anthropic/PagerDuty/API server: the proposal escalates with `error` set, or the runbook stands in.
 * Only an abort (signal) propagates.
 */
export async function diagnoseIncident(incident: Incident, baseDeps: DiagnoseDeps, signal?: AbortSignal): Promise<RemediationProposal> {
  // One consistent, de-duplicated view of the cluster for the gathering phase of this diagnosis.
  const deps = { ...baseDeps, reader: createCachedReader(baseDeps.reader) };
  const now = deps.now ?? Date.now;
  const started = now();
  const log = deps.logger.child({ incidentId: incident.id });
  const enriched = deps.pagerDuty && incident.source === 'pagerduty' ? await enrichIncident(incident, deps.pagerDuty, log, signal) : incident;
  const preferred: AnalyzerName = deps.llm ? 'claude' : 'runbook';

  const finish = (analyzer: AnalyzerName, body: NormalisedProposal, extra: Partial<RemediationProposal> & { usage?: LlmUsage } = {}): RemediationProposal => {
    const latencyMs = now() - started;
    const usage: LlmUsage = extra.usage ? { ...extra.usage, latencyMs } : { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, latencyMs, rounds: 0 };
    recordMetrics(deps, analyzer, usage);
    let proposal: RemediationProposal = { incidentId: incident.id, analyzer, ...body, ...extra, usage };
    const check = remediationProposalSchema.safeParse(proposal);
    if (!check.success) {
      // An analyzer bug, never model output (that was validated already): escalate rather than pass it on.
      const problem = check.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      log.error({ problem }, 'diagnosis produced a malformed proposal');
      proposal = { incidentId: incident.id, analyzer, rootCause: 'unknown', confidence: 0, evidence: [], escalate: { required: true, reason: 'internal error in the analyzer' }, actions: [], usage, error: `malformed proposal: ${problem}` };
    }
    log.info({ analyzer, actions: proposal.actions.length, escalate: proposal.escalate.required, error: proposal.error, latencyMs }, 'diagnosis done');
    return proposal;
  };
  const escalation = (reason: string, error?: string, target?: Target, retryable = false, rootCause = 'unknown'): RemediationProposal =>
    finish(preferred, { rootCause, confidence: 0, evidence: [], escalate: { required: true, reason }, actions: [] }, { target, ...(error ? { error } : {}), ...(retryable ? { retryable } : {}) });

  let target: Target;
  try {
    const resolution = await resolveTarget(enriched, deps.reader);
    // What the alert names and that it is not there is the finding itself: the page says which object is missing.
    if (!resolution.target) return escalation(`could not resolve the incident to a cluster object: ${resolution.reason}`, undefined, undefined, false, resolution.reason);
    target = resolution.target;
  } catch (error) {
    signal?.throwIfAborted();
    // The cause goes into the reason the human reads (connect ECONNREFUSED …, no cluster configured …), not only the log.
    return escalation(`the cluster could not be read to resolve the target: ${errorMessage(error)}`, `target resolution failed: ${errorMessage(error)}`, undefined, isTransient(error));
  }

  const runbook = async (extra: Partial<RemediationProposal> = {}): Promise<RemediationProposal> => {
    try {
      const facts = await gatherRunbookFacts(deps.reader, target);
      const body = analyzeRunbook(facts, { memoryLimitCapMi: deps.config.RUNBOOK_MEMORY_LIMIT_CAP_MI, noCrashLoopWindowSeconds: deps.config.NO_CRASHLOOP_WINDOW_SECONDS });
      return finish('runbook', body, { target, ...extra });
    } catch (error) {
      signal?.throwIfAborted();
      return finish('runbook', { rootCause: 'unknown', confidence: 0, evidence: [], escalate: { required: true, reason: 'the cluster could not be read' }, actions: [] }, {
        target,
        ...extra,
        error: `runbook analysis failed: ${errorMessage(error)}`,
        ...(isTransient(error) ? { retryable: true } : {}),
      });
    }
  };

  if (!deps.llm) return runbook();

  const toolContext: ToolContext = {
    reader: deps.reader,
    incident: { id: incident.id, serviceId: incident.serviceId, namespace: target.namespace, workload: target.name },
    relatedIncidents: deps.pagerDuty,
    activeJobs: deps.activeJobs,
    signal,
  };
  try {
    const context = await gatherContext(target, toolContext);
    const analysis = await analyzeWithClaude(buildFirstMessage(enriched, target, context.text), {
      llm: deps.llm,
      // The model's own reads see the live cluster, not the snapshot gathered above.
      toolContext: { ...toolContext, reader: baseDeps.reader },
      maxToolRounds: deps.config.LLM_MAX_TOOL_ROUNDS,
      logger: log,
      signal,
      externalTools: deps.externalTools,
    });
    const usage: LlmUsage = {
      inputTokens: analysis.usage.inputTokens,
      outputTokens: analysis.usage.outputTokens,
      cacheReadTokens: analysis.usage.cacheReadTokens,
      cacheCreationTokens: analysis.usage.cacheCreationTokens,
      latencyMs: 0,
      rounds: analysis.usage.requests,
      model: analysis.usage.model,
    };
    if (!analysis.proposal) {
      // Invalid output after the one corrective round (or prose instead of a proposal): the model is answering, but
      // not usably. Like an outage, the runbook stands in when allowed; the tokens spent stay on the proposal.
      if (deps.config.LLM_FALLBACK_TO_RUNBOOK) {
        const fallbackReason = `invalid_output: ${analysis.error ?? 'the model did not produce a valid proposal'}`;
        log.warn({ err: fallbackReason }, 'Claude analysis produced no valid proposal: the runbook analyzer stands in');
        return runbook({ fallbackReason, usage });
      }
      return finish('claude', { rootCause: 'unknown', confidence: 0, evidence: [], escalate: { required: true, reason: 'the model did not produce a valid proposal' }, actions: [] }, {
        target,
        usage,
        error: analysis.error,
      });
    }
    return finish('claude', analysis.proposal, { target, usage });
  } catch (error) {
    signal?.throwIfAborted();
    const reason = error instanceof LlmError ? `${error.kind}: ${error.message}` : `claude analysis failed: ${errorMessage(error)}`;
    log.warn({ err: reason }, 'Claude analysis failed');
    if (deps.config.LLM_FALLBACK_TO_RUNBOOK) return runbook({ fallbackReason: reason });
    return escalation('the Claude analyzer failed and the runbook fallback is off', reason, target, isTransient(error));
  }
}

/** A failure a later attempt may not meet: the API server or the model unreachable, throttled or overloaded. */
function isTransient(error: unknown): boolean {
  return error instanceof TransientError || (error as { transient?: unknown } | null)?.transient === true;
}

function recordMetrics(deps: DiagnoseDeps, analyzer: AnalyzerName, usage: LlmUsage): void {
  if (!deps.metrics) return;
  deps.metrics.diagnosisLatency.observe({ analyzer }, usage.latencyMs / 1000);
  // Tokens are the model's, also when the runbook stood in after invalid output.
  if (analyzer !== 'claude' && usage.rounds === 0) return;
  const labels = { analyzer: 'claude' };
  deps.metrics.llmTokens.inc({ ...labels, kind: 'input' }, usage.inputTokens);
  deps.metrics.llmTokens.inc({ ...labels, kind: 'output' }, usage.outputTokens);
  deps.metrics.llmTokens.inc({ ...labels, kind: 'cache_read' }, usage.cacheReadTokens);
  deps.metrics.llmTokens.inc({ ...labels, kind: 'cache_creation' }, usage.cacheCreationTokens);
}
