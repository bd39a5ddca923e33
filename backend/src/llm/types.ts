// The LlmClient port: the shape of the Messages API the diagnosis loop needs, without the vendor SDK's types.

export interface TextBlock {
  type: 'text';
  text: string;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}

export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error?: boolean;
}

export type ContentBlock = TextBlock | ToolUseBlock;

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string | Array<TextBlock | ToolUseBlock | ToolResultBlock>;
}

export interface LlmToolDefinition {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}

export type LlmToolChoice = { type: 'auto' } | { type: 'any' } | { type: 'tool'; name: string } | { type: 'none' };

export interface LlmRequest {
  system: string;
  messages: LlmMessage[];
  tools: LlmToolDefinition[];
  toolChoice?: LlmToolChoice;
  /** Overrides the configured max_tokens. */
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface LlmUsageCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

export interface LlmResponse {
  content: ContentBlock[];
  stopReason: string | null;
  usage: LlmUsageCounts;
  model: string;
}

/** Sends one Messages API request. Implementations throw LlmError (see llm-errors.ts). */
export interface LlmClient {
  readonly model: string;
  createMessage(request: LlmRequest): Promise<LlmResponse>;
}
