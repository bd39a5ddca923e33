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

/**
 * An approved plan whose target changed since the plan was made (its generation or content, see
 * execute/target-marker.ts): nothing ran, and the approval can never run. The approval pipeline answers it with a
 * fresh triage of the incident, so a new plan is made and announced.
 */
export class TargetChangedRefusal extends PolicyRefusal {
  constructor(
    message: string,
    readonly approvalId: string,
    /** One line per changed target: "target deployment/web in shop changed since the plan (generation 4 → 5)". */
    readonly changes: string[],
  ) {
    super(message, 'a new plan is made from the current state of the cluster; approve that one');
  }
}
