import { z } from 'zod';

// Every setting and its default lives here, once. Values arrive as strings from the environment.

const bool = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected true or false, got "${v}"` });
      return z.NEVER;
    });

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const ratio = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || n > 1) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected a number from 0 to 1, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

/** true / false, or undefined when unset: the default then depends on something else (the execution mode, an older name). */
const optionalBool = z
  .string()
  .trim()
  .toLowerCase()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return undefined;
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected true or false, got "${v}"` });
    return z.NEVER;
  });

const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const url = (fallback?: string, schemes: 'http' | 'redis' = 'http') =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const value = v === undefined || v === '' ? fallback : v;
      if (value === undefined) return undefined;
      try {
        const parsed = new URL(value);
        if (!(schemes === 'redis' ? /^rediss?:$/ : /^https?:$/).test(parsed.protocol)) throw new Error('protocol');
        return value;
      } catch {
        // The URL may carry a password (redis://:pw@host): never echo it.
        const shown = String(v).replace(/[^\s/@]*@/, '<credentials>@');
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected ${schemes === 'redis' ? 'a redis:// or rediss://' : 'an http:// or https://'} URL, got "${shown}"` });
        return z.NEVER;
      }
    });

const enumOf = <T extends string>(values: readonly [T, ...T[]], fallback: T) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if ((values as readonly string[]).includes(v)) return v as T;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected one of ${values.join('|')}, got "${v}"` });
      return z.NEVER;
    });

/** Overrides like "namespace:prod=approval,service:PABC123=plan". */
const modeOverrides = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const out: Array<{ scope: 'namespace' | 'service'; key: string; mode: 'yolo' | 'approval' | 'plan' }> = [];
    for (const entry of (v ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = /^(namespace|service):([^=]+)=(yolo|approval|plan)$/.exec(entry);
      if (!m) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected namespace:<ns>=<mode> or service:<id>=<mode>, got "${entry}"` });
        return z.NEVER;
      }
      out.push({ scope: m[1] as 'namespace' | 'service', key: m[2], mode: m[3] as 'yolo' | 'approval' | 'plan' });
    }
    return out;
  });

/** "opus=15:75,sonnet=3:15": USD per million input:output tokens, by a substring of the model name (first match wins). */
const priceTable = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const out: Array<{ match: string; inputPerMTok: number; outputPerMTok: number }> = [];
      for (const entry of (v?.trim() || fallback).split(',').map((s) => s.trim()).filter(Boolean)) {
        const m = /^([A-Za-z0-9._-]+)=(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(entry);
        if (!m) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected <model substring>=<input USD>:<output USD> per million tokens, got "${entry}"` });
          return z.NEVER;
        }
        out.push({ match: m[1].toLowerCase(), inputPerMTok: Number(m[2]), outputPerMTok: Number(m[3]) });
      }
      return out;
    });

/** MCP_SERVERS: a JSON list of other MCP servers to use as extra read-only context for diagnosis. */
const mcpServerName = z.string().regex(/^[a-z][a-z0-9_]{0,23}$/, 'name must be lowercase letters, digits or _ (up to 24), starting with a letter');
const mcpServerEntry = z.union([
  z.object({ name: mcpServerName, command: z.string().min(1), args: z.array(z.string()).default([]), env: z.record(z.string()).optional() }).strict(),
  z.object({ name: mcpServerName, url: z.string().url().refine((u) => /^https?:/.test(u), 'url must be http(s)'), headers: z.record(z.string()).default({}) }).strict(),
]);
export type McpServerEntry = z.infer<typeof mcpServerEntry>;
const mcpServers = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return [] as McpServerEntry[];
    let raw: unknown;
    try {
      raw = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a JSON list of {name, command, args} or {name, url, headers}' });
      return z.NEVER;
    }
    const parsed = z.array(mcpServerEntry).max(16).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // Never echo the value: headers carry tokens.
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `entry ${issue.path.join('.') || '(list)'}: ${issue.message}` });
      return z.NEVER;
    }
    const names = parsed.data.map((s) => s.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `server name "${dup}" appears twice` });
      return z.NEVER;
    }
    return parsed.data;
  });

export const envSchema = z.object({
  // Process
  LOG_LEVEL: enumOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  LOG_FORMAT: enumOf(['auto', 'json', 'pretty'] as const, 'auto'),
  HOST: z.string().trim().optional().transform((v) => v || '0.0.0.0'),
  PORT: int(3000, 0, 65535),
  // 0 = /metrics on PORT with the webhook; otherwise /metrics only on this port (and not on PORT).
  METRICS_PORT: int(0, 0, 65535),
  HTTP_HEADERS_TIMEOUT_MS: int(10_000, 100, 600_000),
  HTTP_REQUEST_TIMEOUT_MS: int(30_000, 100, 3_600_000),
  HTTP_MAX_CONNECTIONS: int(256, 1, 100_000),
  SHUTDOWN_GRACE_MS: int(30_000, 0, 600_000),
  STATE_DIR: z.string().trim().optional().transform((v) => v || '.oncall-agent'),
  PUBLIC_URL: url(),

  // Queue
  REDIS_URL: url(undefined, 'redis'),
  REDIS_KEY_PREFIX: z.string().trim().optional().transform((v) => v || 'oncall:'),
  WORKER_CONCURRENCY: int(2, 1, 64),
  JOB_ATTEMPTS: int(5, 1, 50),
  JOB_BACKOFF_MS: int(2_000, 10, 600_000),

  // PagerDuty
  PAGERDUTY_WEBHOOK_SECRETS: list,
  // Older signed events are refused (replay); within the 72 h the finished jobs are kept for dedup.
  WEBHOOK_MAX_EVENT_AGE_SECONDS: int(86_400, 60, 259_200),
  PAGERDUTY_API_TOKEN: optionalString,
  PAGERDUTY_API_URL: url('https://api.pagerduty.com'),
  PAGERDUTY_FROM_EMAIL: optionalString,
  PAGERDUTY_EVENTS_URL: url('https://events.pagerduty.com'),
  PAGERDUTY_ROUTING_KEY: optionalString,
  ACK_ON_PICKUP: optionalBool,
  RESOLVE_ON_VERIFIED: optionalBool,
  HUMAN_ACK_FORCES_PLAN: bool(true),
  APPROVER_PAGERDUTY_USER_IDS: list,
  APPROVAL_TOKEN: optionalString,
  PAGERDUTY_ACTIONS_SECRET: optionalString,
  PAGERDUTY_WRITEBACK_GIVE_UP_SECONDS: int(3_600, 10, 7 * 86_400),
  PAGERDUTY_WRITEBACK_BACKOFF_MS: int(2_000, 10, 600_000),

  // Diagnosis
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: url(),
  ANTHROPIC_MODEL: z.string().trim().optional().transform((v) => v || 'claude-sonnet-5-5'),
  ANTHROPIC_TIMEOUT_MS: int(60_000, 1_000, 600_000),
  ANTHROPIC_MAX_RETRIES: int(2, 0, 10),
  ANTHROPIC_MAX_TOKENS: int(4_096, 256, 64_000),
  LLM_MAX_TOOL_ROUNDS: int(8, 1, 50),
  LLM_PRICES_PER_MTOK: priceTable('opus=15:75,sonnet=3:15,haiku=1:5'),
  LLM_FALLBACK_TO_RUNBOOK: bool(true),
  RUNBOOK_MEMORY_LIMIT_CAP_MI: int(8_192, 16, 1_048_576),

  // Cluster
  KUBECONFIG: optionalString,
  KUBE_CONTEXT: optionalString,
  CLUSTER_NAME: z.string().trim().optional().transform((v) => v || 'default'),
  KUBECTL_PATH: z.string().trim().optional().transform((v) => v || 'kubectl'),
  KUBECTL_TIMEOUT_MS: int(30_000, 1_000, 600_000),
  KUBECTL_MAX_OUTPUT_BYTES: int(1_048_576, 1_024, 64 * 1_048_576),
  CLUSTER_READ_TIMEOUT_MS: int(15_000, 100, 600_000),

  // Execution policy
  EXECUTION_MODE: enumOf(['yolo', 'approval', 'plan'], 'plan'),
  MODE_OVERRIDES: modeOverrides,
  // The gate for every medium- and high-risk write, in every mode (docs/decisions/2026-12-06-write-gate-setting.md).
  // loadConfig folds the clearer name into K8S_ENABLE_DESTRUCTIVE_OPERATIONS, the field the policy reads.
  ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: optionalBool,
  K8S_ENABLE_DESTRUCTIVE_OPERATIONS: bool(false),
  PROTECTED_NAMESPACES: list,
  DENY_COMMANDS: list,
  RISK_MAX_REPLICAS: int(50, 1, 100_000),
  YOLO_MIN_CONFIDENCE: ratio(0.8),
  YOLO_MIN_CONFIDENCE_HIGH: ratio(0.9),
  SKIP_BELOW_CONFIDENCE: ratio(0.7),
  KILL_SWITCH: bool(false),
  // As low as 10 s: a short TTL only refuses more (expiry is checked when a plan is decided and again before it runs),
  // so it is never unsafe, only impractical for a person; start-up warns below a minute. The expiry sweep runs every
  // tenth of it, at most once a minute (app/approval-expiry-sweep.ts), so no second setting is needed.
  APPROVAL_TTL_SECONDS: int(900, 10, 7 * 86_400),

  // Safety limits
  MAX_ACTIONS_PER_INCIDENT: int(3, 1, 20),
  CLUSTER_RATE_LIMIT: int(10, 1, 1_000),
  CLUSTER_RATE_WINDOW_SECONDS: int(300, 1, 86_400),
  TARGET_COOLDOWN_SECONDS: int(300, 0, 86_400),
  LOCK_TTL_SECONDS: int(600, 10, 86_400),
  BREAKER_FAILURE_THRESHOLD: int(5, 1, 100),
  BREAKER_OPEN_SECONDS: int(300, 1, 86_400),
  BREAKER_HALF_OPEN_SUCCESSES: int(2, 1, 100),
  BREAKER_SCOPE: enumOf(['cluster', 'namespace'], 'cluster'),
  // How long the action ledger keeps each write's intent, result and snapshot: longer than any job can still be retried.
  LEDGER_TTL_HOURS: int(168, 1, 90 * 24),

  // Verification
  VERIFY_DEADLINE_SECONDS: int(120, 1, 3_600),
  VERIFY_POLL_MS: int(2_000, 50, 60_000),
  NO_CRASHLOOP_WINDOW_SECONDS: int(30, 1, 3_600),
  AUTO_ROLLBACK: bool(true),

  // Audit
  AUDIT_JSONL_PATH: z.string().trim().optional().transform((v) => v || '.oncall-agent/audit.jsonl'),
  AUDIT_STREAM_MAXLEN: int(10_000, 100, 10_000_000),
  AUDIT_KUBE_EVENTS: bool(true),

  // MCP server (stdio `oncall-agent mcp`, Streamable HTTP at /mcp on the daemon)
  MCP_TOKEN: optionalString,
  MCP_ALLOWED_HOSTS: list,
  MCP_ALLOWED_ORIGINS: list,
  MCP_EXECUTION_MODE: enumOf(['yolo', 'approval', 'plan'], 'yolo'),
  MCP_ALLOW_APPROVE: bool(false),
  MCP_WAIT_SECONDS: int(45, 0, 3_600),
  MCP_MAX_SESSIONS: int(32, 1, 10_000),

  // MCP client (other servers as extra read-only context for diagnosis)
  MCP_SERVERS: mcpServers,
  MCP_SERVER_TOOL_ALLOWLIST: list,
  MCP_CLIENT_TIMEOUT_MS: int(10_000, 100, 600_000),
});

export type Env = z.infer<typeof envSchema>;
