import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { ConfigError } from '../domain/errors.js';
import { envSchema, type Env } from './schema.js';

/** The validated settings. Secrets stay here; they are never logged (see describeConfig). */
export type Config = Env;

/** Names whose values must never be printed. */
export const SECRET_SETTINGS = ['PAGERDUTY_WEBHOOK_SECRETS', 'PAGERDUTY_API_TOKEN', 'PAGERDUTY_ROUTING_KEY', 'ANTHROPIC_API_KEY', 'MCP_TOKEN', 'MCP_SERVERS'] as const;

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
  checkThresholdOrder(result.data);
  return result.data;
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
