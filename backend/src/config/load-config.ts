import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { ConfigError } from '../domain/errors.js';
import { envSchema, type Env } from './schema.js';

/** The validated settings. Secrets stay here; they are never logged (see describeConfig). */
export type Config = Env;

/** Names whose values must never be printed. */
export const SECRET_SETTINGS = ['PAGERDUTY_WEBHOOK_SECRETS', 'PAGERDUTY_API_TOKEN', 'PAGERDUTY_ROUTING_KEY', 'ANTHROPIC_API_KEY', 'MCP_TOKEN', 'MCP_SERVERS', 'APPROVAL_TOKEN', 'PAGERDUTY_ACTIONS_SECRET'] as const;

/**
 * Validates the environment once. Throws ConfigError whose message is one line naming the variable.
 * Values from a .env file fill in only what the environment does not set.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, dotenvPath?: string): Config {
  const merged: Record<string, string | undefined> = { ...readDotenv(dotenvPath ?? env.DOTENV_PATH ?? '.env'), ...env };
  const result = envSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0] ?? 'config');
    throw new ConfigError(`invalid configuration: ${name}: ${issue.message}`);
  }
  const config = foldWriteGate(result.data, merged.K8S_ENABLE_DESTRUCTIVE_OPERATIONS);
  checkThresholdOrder(config);
  checkPagerDutyWriteback(config);
  checkApprovalSecrets(config);
  return config;
}

/**
 * ALLOW_MEDIUM_AND_HIGH_RISK_WRITES is the name of the write gate; K8S_ENABLE_DESTRUCTIVE_OPERATIONS, its older
 * name, is still accepted. Both set and disagreeing is refused rather than guessed.
 */
function foldWriteGate(config: Config, oldRaw: string | undefined): Config {
  const allow = config.ALLOW_MEDIUM_AND_HIGH_RISK_WRITES;
  if (allow === undefined) return { ...config, ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: config.K8S_ENABLE_DESTRUCTIVE_OPERATIONS };
  if (oldRaw !== undefined && oldRaw.trim() !== '' && config.K8S_ENABLE_DESTRUCTIVE_OPERATIONS !== allow) {
    throw new ConfigError(
      `invalid configuration: ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: ${allow} disagrees with K8S_ENABLE_DESTRUCTIVE_OPERATIONS=${config.K8S_ENABLE_DESTRUCTIVE_OPERATIONS} (its older name); set only ALLOW_MEDIUM_AND_HIGH_RISK_WRITES`,
    );
  }
  return { ...config, K8S_ENABLE_DESTRUCTIVE_OPERATIONS: allow };
}

/**
 * The confidence thresholds only make sense in order: skip < ask < run medium < run high. Out of order, a high-risk
 * command would run on less confidence than a medium one, or every action would be skipped.
 */
function checkThresholdOrder(config: Config): void {
  const { SKIP_BELOW_CONFIDENCE: skip, YOLO_MIN_CONFIDENCE: min, YOLO_MIN_CONFIDENCE_HIGH: high } = config;
  if (high < min) {
    throw new ConfigError(`invalid configuration: YOLO_MIN_CONFIDENCE_HIGH: ${high} is below YOLO_MIN_CONFIDENCE ${min}; high-risk commands must need at least as much confidence`);
  }
  if (skip > min) {
    throw new ConfigError(`invalid configuration: SKIP_BELOW_CONFIDENCE: ${skip} is above YOLO_MIN_CONFIDENCE ${min}; it must not exceed it`);
  }
}

/** PagerDuty refuses REST writes (notes, acknowledge, resolve) made with an account token but no From header. */
function checkPagerDutyWriteback(config: Config): void {
  if (config.PAGERDUTY_API_TOKEN && !config.PAGERDUTY_FROM_EMAIL) {
    throw new ConfigError('invalid configuration: PAGERDUTY_FROM_EMAIL: required when PAGERDUTY_API_TOKEN is set (PagerDuty needs the From header on notes and status changes)');
  }
  if (config.PAGERDUTY_FROM_EMAIL && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(config.PAGERDUTY_FROM_EMAIL)) {
    throw new ConfigError(`invalid configuration: PAGERDUTY_FROM_EMAIL: expected an email address, got "${config.PAGERDUTY_FROM_EMAIL.slice(0, 80)}"`);
  }
}

/** A short bearer token or shared secret is guessable: refuse it rather than expose the approvals API. */
function checkApprovalSecrets(config: Config): void {
  for (const name of ['APPROVAL_TOKEN', 'PAGERDUTY_ACTIONS_SECRET'] as const) {
    const value = config[name];
    if (value !== undefined && value.length < 16) throw new ConfigError(`invalid configuration: ${name}: must be at least 16 characters (use a random value, e.g. openssl rand -hex 24)`);
  }
}

function readDotenv(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  try {
    return parseDotenv(readFileSync(path));
  } catch (error) {
    // One line naming the variable, like every other configuration error (DOTENV_PATH chooses the file).
    throw new ConfigError(`invalid configuration: DOTENV_PATH: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** A copy safe to log: secret values replaced by "<set>" or "<unset>". */
export function describeConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const key of SECRET_SETTINGS) {
    const value = out[key];
    out[key] = Array.isArray(value) ? `<${value.length} set>` : value ? '<set>' : '<unset>';
  }
  if (typeof out.REDIS_URL === 'string') out.REDIS_URL = out.REDIS_URL.replace(/\/\/[^@/]*@/, '//<credentials>@');
  return out;
}
