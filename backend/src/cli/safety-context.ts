// What the safety CLI commands share: config, the safety store, the audit trail and its reader, built by the same
// factories the daemon uses, so `oncall-agent pause` writes exactly where the running agent reads.

import { userInfo } from 'node:os';
import type { AuditTrail } from '../audit/create-audit.js';
import type { AuditReader } from '../audit/audit-reader.js';
import { loadConfig, type Config } from '../config/load-config.js';
import type { AuditEvent } from '../domain/audit.js';
import { ConfigError } from '../domain/errors.js';
import { redactText } from '../redaction/redact.js';
import { breakerPolicyFromConfig } from '../safety/breaker-policy.js';
import type { ApprovalStore, BreakerPolicy, BreakerStore, IdempotencyMarks, KillSwitchStore } from '../safety/safety-store.js';

export interface SafetyContext {
  config: Config;
  /** The safety store the daemon uses, one port per concern; the context owns it and closes it. */
  killSwitch: KillSwitchStore;
  breakers: BreakerStore;
  /** Approvals, with the marks that keep an expiry from being audited twice. */
  approvals: ApprovalStore & IdempotencyMarks;
  audit: AuditTrail;
  reader: AuditReader;
  policy: BreakerPolicy;
  now: () => number;
  /** True with Redis: breakers and approvals are shared with the running agent. The in-process store shares only the kill switch. */
  shared: boolean;
  /** Where the stored kill switch lives, in words. */
  killSwitchLocation: string;
  close(): Promise<void>;
}

export async function openSafetyContext(): Promise<SafetyContext> {
  const config = loadConfig();
  // Imported here, not at the top: registering the commands (and `--help`) must not load Redis clients and sinks.
  const [{ createAuditReader, createAuditTrail }, { createSafetyStore, killSwitchFilePath }] = await Promise.all([
    import('../audit/create-audit.js'),
    import('../safety/create-safety-store.js'),
  ]);
  const store = createSafetyStore(config);
  const audit = createAuditTrail(config, {
    logger: {
      warn: (_object, message) => console.error(`oncall-agent: warning: ${redactText(message)}`),
      error: (_object, message) => console.error(`oncall-agent: error: ${redactText(message)}`),
    },
  });
  const reader = createAuditReader(config);
  return {
    config,
    killSwitch: store,
    breakers: store,
    approvals: store,
    audit,
    reader,
    policy: breakerPolicyFromConfig(config),
    now: Date.now,
    shared: Boolean(config.REDIS_URL),
    killSwitchLocation: config.REDIS_URL ? `Redis (${config.REDIS_KEY_PREFIX}killswitch)` : killSwitchFilePath(config.STATE_DIR),
    close: async () => {
      await Promise.allSettled([store.close(), audit.close(), reader.close()]);
    },
  };
}

/** Runs a command body with a context and always closes it (so Redis connections never keep the CLI alive). */
export async function withSafetyContext<T>(fn: (ctx: SafetyContext) => Promise<T>): Promise<T> {
  const ctx = await openSafetyContext();
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** Approvals live in the agent's own process without Redis; the CLI cannot reach them there. */
export function requireSharedStore(ctx: SafetyContext, command: string): void {
  if (!ctx.shared) {
    throw new ConfigError(
      `${command} needs REDIS_URL: without Redis, pending approvals live inside the running agent process`,
      'set REDIS_URL to the Redis the agent uses',
    );
  }
}

/** The name recorded for a human action: --by, else the OS user. */
export function resolveActor(by: string | undefined): string {
  if (by?.trim()) return by.trim();
  try {
    return process.env.USER || userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}

export function auditEvent(type: AuditEvent['type'], actor: string, data: Record<string, unknown>, now: number, incidentId?: string): AuditEvent {
  return { ts: new Date(now).toISOString(), type, actor, data, ...(incidentId ? { incidentId } : {}) };
}
