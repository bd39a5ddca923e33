import type { Logger } from '../observability/logger.js';
import type { LlmClient, LlmMessage, LlmToolDefinition, LlmUsageCounts, ToolResultBlock, ToolUseBlock } from '../llm/types.js';
import type { ExternalTools, ToolContext, ToolResult } from '../tools/types.js';
import { READ_TOOLS, renderToolResult, runTool, toolJsonSchema } from '../tools/registry.js';
import { proposalJsonSchema, validateProposalInput, type NormalisedProposal } from './proposal-schema.js';
import { PROPOSE_TOOL, SYSTEM_PROMPT } from './system-prompt.js';

/** Bound on read tools run per round, whatever the model asks for. */
const MAX_TOOLS_PER_ROUND = 6;

export interface ClaudeAnalysis {
  proposal?: NormalisedProposal;
  /** Set when the model never produced a valid proposal. */
  error?: string;
  usage: LlmUsageCounts & { requests: number; toolRounds: number; model: string };
}

export interface ClaudeAnalyzerDeps {
  llm: LlmClient;
  toolContext: ToolContext;
  maxToolRounds: number;
  logger: Logger;
  signal?: AbortSignal;
  /** Read-only tools of other MCP servers (MCP_SERVERS), offered after our own. */
  externalTools?: ExternalTools;
}

let toolDefinitions: LlmToolDefinition[] | undefined;

/** Read tools plus propose_remediation, built once (stable order and text keep the prompt cache warm). */
export function analyzerTools(): { read: LlmToolDefinition[]; propose: LlmToolDefinition } {
  toolDefinitions ??= READ_TOOLS.map((t) => ({ name: t.name, description: t.description, input_schema: toolJsonSchema(t) }));
  return {
    read: toolDefinitions,
    propose: {
      name: PROPOSE_TOOL,
      description: 'Submit the diagnosis: root cause, confidence, evidence, escalation and remediation actions. Call exactly once, at the end.',
      input_schema: proposalJsonSchema(),
    },
  };
}

/**
 * The bounded tool loop: at most maxToolRounds rounds of read tools, then a final turn that offers only
 * propose_remediation and forces it through tool_choice. An invalid proposal gets ONE corrective round with the
 * validation errors; a second invalid one ends the analysis with the error. Tool failures go back to the model as
 * is_error results. LlmError from the client propagates (the caller decides on the runbook fallback).
 */
export async function analyzeWithClaude(firstMessage: string, deps: ClaudeAnalyzerDeps): Promise<ClaudeAnalysis> {
  const { read: own, propose } = analyzerTools();
  const external = deps.externalTools ? await deps.externalTools.list() : [];
  const externalNames = new Set(external.map((t) => t.name));
  const read = [...own, ...external.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema }))];
  const run = (name: string, input: unknown): Promise<ToolResult> =>
    externalNames.has(name) && deps.externalTools ? deps.externalTools.call(name, input, deps.signal) : runTool(name, input, { ...deps.toolContext, signal: deps.signal });
  const messages: LlmMessage[] = [{ role: 'user', content: firstMessage }];
  const usage: ClaudeAnalysis['usage'] = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0, requests: 0, toolRounds: 0, model: deps.llm.model };
  let forceProposal = false;
  let corrected = false;

  for (;;) {
    const final = forceProposal || usage.toolRounds >= deps.maxToolRounds;
    const response = await deps.llm.createMessage({
      system: SYSTEM_PROMPT,
      messages,
      tools: final ? [propose] : [...read, propose],
      toolChoice: final ? { type: 'tool', name: PROPOSE_TOOL } : { type: 'auto' },
      signal: deps.signal,
    });
    usage.requests++;
    usage.model = response.model || usage.model;
    usage.inputTokens += response.usage.inputTokens;
    usage.outputTokens += response.usage.outputTokens;
    usage.cacheReadTokens += response.usage.cacheReadTokens;
    usage.cacheCreationTokens += response.usage.cacheCreationTokens;
    messages.push({ role: 'assistant', content: response.content });

    const toolUses = response.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
    const proposal = toolUses.find((b) => b.name === PROPOSE_TOOL);
    if (proposal) {
      const validation = validateProposalInput(proposal.input);
      if (validation.ok) return { proposal: validation.proposal, usage };
      deps.logger.warn({ errors: validation.errors, corrected }, 'model proposal failed validation');
      if (corrected) return { error: `invalid proposal after one correction: ${validation.errors.join('; ')}`, usage };
      corrected = true;
      forceProposal = true;
      const results: ToolResultBlock[] = toolUses.map((b) =>
        b === proposal
          ? { type: 'tool_result', tool_use_id: b.id, is_error: true, content: `The proposal is invalid:\n- ${validation.errors.join('\n- ')}\nCall ${PROPOSE_TOOL} again with a corrected proposal.` }
          : { type: 'tool_result', tool_use_id: b.id, is_error: true, content: `not run: ${PROPOSE_TOOL} ends the analysis` },
      );
      messages.push({ role: 'user', content: results });
      continue;
    }
    if (final) return { error: `the model did not call ${PROPOSE_TOOL} on the final turn (stop_reason ${response.stopReason ?? 'unknown'})`, usage };
    if (toolUses.length === 0) {
      // The model answered in prose: ask for the proposal on a forced turn.
      forceProposal = true;
      messages.push({ role: 'user', content: `Call ${PROPOSE_TOOL} now with your diagnosis.` });
      continue;
    }

    usage.toolRounds++;
    const results: ToolResultBlock[] = [];
    for (const [i, use] of toolUses.entries()) {
      if (i >= MAX_TOOLS_PER_ROUND) {
        results.push({ type: 'tool_result', tool_use_id: use.id, is_error: true, content: `not run: at most ${MAX_TOOLS_PER_ROUND} tools per round` });
        continue;
      }
      const result = await run(use.name, use.input);
      results.push({ type: 'tool_result', tool_use_id: use.id, content: renderToolResult(result), ...(result.status === 'error' ? { is_error: true } : {}) });
    }
    const content: LlmMessage['content'] = [...results];
    if (usage.toolRounds >= deps.maxToolRounds) content.push({ type: 'text', text: `Tool budget used up. Call ${PROPOSE_TOOL} now.` });
    messages.push({ role: 'user', content });
  }
}
