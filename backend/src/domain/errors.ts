/** Base for errors a person can act on: the message says what failed and on what. */
export class AgentError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad configuration: names the variable. */
export class ConfigError extends AgentError {}

/** A policy said no (forbidden command, kill switch, breaker open): never retried. */
export class PolicyRefusal extends AgentError {}

/** A dependency (Redis, PagerDuty, Anthropic, the API server) is unreachable or failing; worth a retry. */
export class TransientError extends AgentError {}

/** Input from outside (webhook, model output, alert file) failed validation. */
export class InvalidInputError extends AgentError {}

/** kubectl exited non-zero or timed out. */
export class KubectlError extends AgentError {
  constructor(
    message: string,
    readonly exitCode: number | undefined,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(message, undefined, options);
  }
}
