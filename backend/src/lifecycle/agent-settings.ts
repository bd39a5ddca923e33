// What a running daemon publishes about itself, so `oncall-agent status` shows the daemon's effective mode and
// settings rather than the CLI's own environment (which may differ: another shell, another .env). Written to
// STATE_DIR/agent.json always (one machine), and to Redis with a TTL when REDIS_URL is set (every replica).
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { Config } from '../config/load-config.js';
import { describeEffectivePolicy, type PolicySettings } from '../execute/describe-policy.js';
import type { Redis } from '../redis/create-redis.js';
import { ensureRedisReady } from '../redis/ensure-ready.js';

export interface PublishedAgent {
  pid: number;
  host: string;
  role: string;
  startedAt: string;
  /** The webhook URL on this machine (http://127.0.0.1:PORT/webhooks/pagerduty), when the role serves it. */
  webhookUrl?: string;
  cluster: string;
  simulated: boolean;
  analyzer: 'claude' | 'runbook';
  policy: string;
  warnings: string[];
  settings: PolicySettings & { CLUSTER_NAME: string; BREAKER_SCOPE: string; MAX_ACTIONS_PER_INCIDENT: number };
  /** Audit sinks that are failing now (empty or absent when all write), re-published when that changes. */
  failingAuditSinks?: Array<{ sink: string; target?: string; failingSince?: string; lastError?: string }>;
}

const TTL_SECONDS = 90;
export const agentFilePath = (stateDir: string) => join(stateDir, 'agent.json');
const redisKey = (prefix: string, host: string, pid: number) => `${prefix}agent:${host}:${pid}`;

export function describeAgent(config: Config, facts: { role: string; webhookUrl?: string; simulated: boolean }): PublishedAgent {
  const policy = describeEffectivePolicy(config);
  return {
    pid: process.pid,
    host: hostname(),
    role: facts.role,
    startedAt: new Date().toISOString(),
    webhookUrl: facts.webhookUrl,
    cluster: config.CLUSTER_NAME,
    simulated: facts.simulated,
    analyzer: config.ANTHROPIC_API_KEY ? 'claude' : 'runbook',
    policy: policy.line,
    warnings: policy.warnings,
    settings: {
      EXECUTION_MODE: config.EXECUTION_MODE,
      MODE_OVERRIDES: config.MODE_OVERRIDES,
      K8S_ENABLE_DESTRUCTIVE_OPERATIONS: config.K8S_ENABLE_DESTRUCTIVE_OPERATIONS,
      YOLO_MIN_CONFIDENCE: config.YOLO_MIN_CONFIDENCE,
      YOLO_MIN_CONFIDENCE_HIGH: config.YOLO_MIN_CONFIDENCE_HIGH,
      SKIP_BELOW_CONFIDENCE: config.SKIP_BELOW_CONFIDENCE,
      KILL_SWITCH: config.KILL_SWITCH,
      PROTECTED_NAMESPACES: config.PROTECTED_NAMESPACES,
      DENY_COMMANDS: config.DENY_COMMANDS,
      CLUSTER_NAME: config.CLUSTER_NAME,
      BREAKER_SCOPE: config.BREAKER_SCOPE,
      MAX_ACTIONS_PER_INCIDENT: config.MAX_ACTIONS_PER_INCIDENT,
    },
  };
}

/**
 * Publishes now, again within 5 s whenever what `agent()` returns changes (an audit sink starts or stops failing),
 * and (with Redis) every 30 s to keep its TTL; the returned function withdraws it, at shutdown.
 */
export function publishAgent(
  agent: PublishedAgent | (() => PublishedAgent),
  target: { stateDir: string; redis?: Redis; prefix: string },
  onError: (error: unknown) => void,
): () => Promise<void> {
  const current = typeof agent === 'function' ? agent : () => agent;
  const first = current();
  const file = agentFilePath(target.stateDir);
  const key = redisKey(target.prefix, first.host, first.pid);
  let published = '';
  let publishedToRedisAt = 0;
  const writeFile = (text: string) => {
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, `${text}\n`);
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      onError(error);
    }
  };
  const writeRedis = async (text: string) => {
    if (!target.redis) return;
    publishedToRedisAt = Date.now();
    try {
      // The command client queues nothing while it connects (fail fast): wait for it, so the first publication lands.
      await ensureRedisReady(target.redis);
      await target.redis.set(key, text, 'EX', TTL_SECONDS);
    } catch (error) {
      onError(error);
    }
  };
  const tick = async () => {
    const snapshot = current();
    const changed = JSON.stringify(snapshot) !== published;
    if (changed) {
      published = JSON.stringify(snapshot);
      writeFile(JSON.stringify(snapshot, null, 2));
    }
    if (changed || Date.now() - publishedToRedisAt >= REFRESH_MS) await writeRedis(published);
  };
  void tick();
  const timer = setInterval(() => void tick(), CHECK_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    // Only our own file: another daemon may have started since and published its own.
    if (readPublishedFile(target.stateDir)?.pid === first.pid) rmSync(file, { force: true });
    await target.redis?.del(key).catch(() => undefined);
  };
}

const CHECK_MS = 5_000;
const REFRESH_MS = 30_000;

export function readPublishedFile(stateDir: string): PublishedAgent | undefined {
  try {
    return JSON.parse(readFileSync(agentFilePath(stateDir), 'utf8')) as PublishedAgent;
  } catch {
    return undefined;
  }
}

/** The agents that published themselves: every live one in Redis, else the local file's if its process is alive. */
export async function readPublishedAgents(source: { stateDir: string; redis?: Redis; prefix: string }): Promise<PublishedAgent[]> {
  if (source.redis) {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await source.redis.scan(cursor, 'MATCH', `${source.prefix}agent:*`, 'COUNT', 100);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0' && keys.length < 1_000);
    const values = keys.length ? await source.redis.mget(...keys) : [];
    return values.flatMap((v) => (v ? [JSON.parse(v) as PublishedAgent] : []));
  }
  const local = readPublishedFile(source.stateDir);
  return local && isAlive(local.pid) ? [local] : [];
}

/** True while the process runs (EPERM: it runs as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
