import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { ContentBlock, LlmClient, LlmRequest, LlmResponse } from './types.js';
import { LlmError } from './llm-errors.js';

/** The settings the adapter reads (a subset of Config). */
export interface AnthropicSettings {
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  ANTHROPIC_MODEL: string;
  ANTHROPIC_TIMEOUT_MS: number;
  ANTHROPIC_MAX_RETRIES: number;
  ANTHROPIC_MAX_TOKENS: number;
}

/**
 * LlmClient over @anthropic-ai/sdk (the only importer of the SDK). Every request carries an explicit timeout and
 * retry count, and marks the system prompt and the last tool definition for prompt caching, so the stable prefix
 * (system + tools) is cached across the rounds of one diagnosis and across incidents.
 */
export function createAnthropicClient(settings: AnthropicSettings): LlmClient {
  if (!settings.ANTHROPIC_API_KEY) throw new LlmError('auth', 'ANTHROPIC_API_KEY is not set');
  const client = new Anthropic({
    apiKey: settings.ANTHROPIC_API_KEY,
    // Explicit, so the SDK never falls back to ambient ANTHROPIC_BASE_URL / credential files.
    baseURL: settings.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com',
    timeout: settings.ANTHROPIC_TIMEOUT_MS,
    maxRetries: settings.ANTHROPIC_MAX_RETRIES,
    logLevel: 'off',
  });

  return {
    model: settings.ANTHROPIC_MODEL,
    async createMessage(request: LlmRequest): Promise<LlmResponse> {
      const tools = request.tools.map((t, i) => ({
        name: t.name,
        description: t.description,
        input_schema: t.input_schema as Anthropic.Tool.InputSchema,
        ...(i === request.tools.length - 1 ? { cache_control: { type: 'ephemeral' as const } } : {}),
      }));
      // The SDK's timeout covers each attempt only until the response headers: a body that stalls after them would
      // hang the job for good. One deadline over the whole call (every attempt, its backoff and the body) bounds it.
      const deadline = AbortSignal.timeout(callDeadlineMs(settings));
      const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
      try {
        const message = await client.messages.create(
          {
            model: settings.ANTHROPIC_MODEL,
            max_tokens: request.maxTokens ?? settings.ANTHROPIC_MAX_TOKENS,
            system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
            messages: request.messages as Anthropic.MessageParam[],
            ...(tools.length ? { tools } : {}),
            ...(request.toolChoice && tools.length ? { tool_choice: request.toolChoice as Anthropic.ToolChoice } : {}),
          },
          { signal },
        );
        const content: ContentBlock[] = [];
        for (const block of message.content) {
          if (block.type === 'text') content.push({ type: 'text', text: block.text });
          else if (block.type === 'tool_use') content.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
        }
        return {
          content,
          stopReason: message.stop_reason ?? null,
          model: message.model,
          usage: {
            inputTokens: message.usage?.input_tokens ?? 0,
            outputTokens: message.usage?.output_tokens ?? 0,
            cacheReadTokens: message.usage?.cache_read_input_tokens ?? 0,
            cacheCreationTokens: message.usage?.cache_creation_input_tokens ?? 0,
          },
        };
      } catch (error) {
        if (deadline.aborted && !request.signal?.aborted) {
          throw new LlmError('timeout', `the model call did not complete within ${callDeadlineMs(settings)} ms (every attempt and the response body)`, undefined, { cause: error });
        }
        throw toLlmError(error, originOf(client.baseURL));
      }
    },
  };
}

/**
 * The longest one createMessage call may take: each attempt's timeout plus up to 8 s of backoff before each retry
 * (the SDK's own cap when the API sends no retry-after). A longer retry-after is cut short: the runbook stands in.
 */
export function callDeadlineMs(settings: Pick<AnthropicSettings, 'ANTHROPIC_TIMEOUT_MS' | 'ANTHROPIC_MAX_RETRIES'>): number {
  return settings.ANTHROPIC_TIMEOUT_MS * (settings.ANTHROPIC_MAX_RETRIES + 1) + 8_000 * settings.ANTHROPIC_MAX_RETRIES;
}

/** Maps SDK failures to the port's typed errors; never includes request headers (they carry the key). */
export function toLlmError(error: unknown, baseURL?: string): LlmError {
  if (error instanceof LlmError) return error;
  if (error instanceof APIUserAbortError) return new LlmError('aborted', 'the model call was cancelled', undefined, { cause: error });
  if (error instanceof APIConnectionTimeoutError) return new LlmError('timeout', 'the model call timed out', undefined, { cause: error });
  if (error instanceof APIConnectionError) {
    // The SDK says only "Connection error."; the cause (ECONNREFUSED, ENOTFOUND, a reset) is what an operator needs.
    const cause = rootCauseOf(error);
    return new LlmError('unreachable', `cannot reach the Anthropic API${baseURL ? ` at ${baseURL}` : ''}${cause ? `: ${cause}` : ''}`, undefined, { cause: error });
  }
  if (error instanceof APIError) {
    const status = error.status;
    const detail = (error.error as { error?: { message?: string } } | undefined)?.error?.message ?? error.message.split('\n')[0];
    const text = `Anthropic API error ${status ?? ''}: ${detail}`.replace(/\s+/g, ' ').trim();
    if (status === 529) return new LlmError('overloaded', text, status, { cause: error });
    if (status === 429) return new LlmError('rate_limit', text, status, { cause: error });
    if (status === 401 || status === 403) return new LlmError('auth', text, status, { cause: error });
    if (status === 408 || status === 504) return new LlmError('timeout', text, status, { cause: error });
    return new LlmError('other', text, status, { cause: error });
  }
  return new LlmError('other', `model call failed: ${(error as Error)?.message ?? String(error)}`, undefined, { cause: error });
}

/** The innermost error's code or message (fetch wraps the socket error in a TypeError, the SDK wraps that). */
function rootCauseOf(error: Error): string | undefined {
  let current: unknown = error.cause;
  let found: string | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === 'string') found = e.code;
    else if (typeof e.message === 'string' && e.message) found = e.message;
    current = e.cause;
  }
  return found?.slice(0, 200);
}

/** The scheme, host and port only: never a user:password@ or a path from the configured URL. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
