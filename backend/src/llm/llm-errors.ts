import { AgentError } from '../domain/errors.js';

export type LlmErrorKind = 'overloaded' | 'rate_limit' | 'timeout' | 'unreachable' | 'auth' | 'aborted' | 'other';

/** A model call failed. `kind` lets the caller choose: fall back, retry later, or fix the configuration. */
export class LlmError extends AgentError {
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, HINTS[kind], options);
  }

  /** Worth retrying later (the job's own retry), as opposed to a configuration or request problem. */
  get transient(): boolean {
    return this.kind === 'overloaded' || this.kind === 'rate_limit' || this.kind === 'timeout' || this.kind === 'unreachable' || (this.status !== undefined && this.status >= 500);
  }
}

const HINTS: Record<LlmErrorKind, string | undefined> = {
  overloaded: 'the Anthropic API is overloaded (529); the runbook analyzer can stand in (LLM_FALLBACK_TO_RUNBOOK)',
  rate_limit: 'rate limited by the Anthropic API; lower WORKER_CONCURRENCY or raise the account limits',
  timeout: 'the model call exceeded ANTHROPIC_TIMEOUT_MS',
  unreachable: 'check ANTHROPIC_BASE_URL and network access to the Anthropic API',
  auth: 'check ANTHROPIC_API_KEY',
  aborted: undefined,
  other: undefined,
};
