import type { IncidentOutcome } from '../domain/outcome.js';
import { describeOutcome } from '../pipeline/build-outcome.js';
import type { Command } from 'commander';
import { expireApprovals } from '../safety/approvals.js';
import { breakerScopeFor, initialBreakerState } from '../safety/breaker-policy.js';
import { readEffectiveKillSwitch } from '../safety/kill-switch.js';
import { redactText } from '../redaction/redact.js';
import { formatApproval, formatAuditLine, formatBreaker } from './format-safety.js';
import { withSafetyContext, type SafetyContext } from './safety-context.js';
import { readPublishedAgents, type PublishedAgent } from '../lifecycle/agent-settings.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description("Show the running daemon's mode and policy, the kill switch, the circuit breaker per scope, pending approvals, the last 10 actions and outcomes.")
    .option('--json', 'print one JSON object instead of text')
    .action(async (options: { json?: boolean }) => {
      await withSafetyContext(async (ctx) => {
        const now = ctx.now();
        // An unreachable store is reported, not thrown: that is exactly when the operator runs `status`, and the
        // agent then fails closed (no writes), which is what it must be told.
        const unavailable: string[] = [];
        const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
          try {
            return await read();
          } catch (error) {
            unavailable.push(`${what}: ${redactText((error as Error).message)}`);
            return undefined;
          }
        };
        const killSwitch = await readEffectiveKillSwitch(ctx.killSwitch, ctx.config.KILL_SWITCH);
        // The kill switch lives in the same store: when it could not be read, the rest cannot either (and each try waits).
        const storeDown = killSwitch.source === 'store-unavailable';
        if (storeDown) unavailable.push(`safety store: ${killSwitch.reason ?? 'unreachable'}`);
        const fromStore = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => (storeDown ? undefined : attempt(what, read));
        if (ctx.shared) await fromStore('approval expiry', () => expireApprovals({ store: ctx.approvals, audit: ctx.audit.sink, now: ctx.now }));
        const breakers = await fromStore('circuit breakers', () => ctx.breakers.listBreakers(ctx.policy, now));
        const clusterScope = breakerScopeFor('cluster', ctx.config.CLUSTER_NAME);
        if (breakers && !breakers.some((b) => b.scope === clusterScope)) breakers.unshift(initialBreakerState(clusterScope));
        const pending = ctx.shared ? await fromStore('pending approvals', () => ctx.approvals.listApprovals(now, 'pending')) : [];
        const recent = await attempt('recent actions', () => ctx.reader.read({ types: ['execution'], limit: 10 }));
        const actions = recent ?? [];
        const endings = await attempt('recent outcomes', () => ctx.reader.read({ types: ['incident.outcome'], limit: 10 }));
        const outcomes = endings ?? [];
        const agents = storeDown && ctx.shared ? undefined : await attempt('running agents', () => readAgents(ctx));
        if (unavailable.length) process.exitCode = 1;

        if (options.json) {
          // Without Redis the breakers and approvals live inside the running agent: say unknown rather than guess.
          // Breakers are in STATE_DIR/breakers.json without Redis, so both stores can show them.
          const shared = { breakers: breakers ?? null, pendingApprovals: ctx.shared ? (pending ?? null) : null };
          console.log(JSON.stringify({ agents: agents ?? null, killSwitch, sharedStore: ctx.shared, breakerScope: ctx.config.BREAKER_SCOPE, ...shared, recentActions: actions, recentOutcomes: outcomes.map((e) => e.data), unavailable }, null, 2));
          return;
        }
        console.log(
          killSwitch.source === 'store-unavailable'
            ? `Kill switch: UNKNOWN, so the agent treats it as PAUSED (fail closed: no writes): ${killSwitch.reason ?? 'store unreachable'}`
            : killSwitch.paused
              ? `Kill switch: PAUSED (${killSwitch.source}${killSwitch.by ? `, by ${killSwitch.by}` : ''}${killSwitch.reason ? `: ${killSwitch.reason}` : ''})`
              : 'Kill switch: off',
        );
        for (const line of describeAgents(agents, ctx)) console.log(line);
        console.log(ctx.shared ? '\nCircuit breakers:' : '\nCircuit breakers (from STATE_DIR; no REDIS_URL):');
        if (!breakers) console.log('  UNKNOWN (the store cannot be read): the agent treats every breaker as open, so nothing executes automatically');
        for (const b of breakers ?? []) console.log(`  ${formatBreaker(b, ctx.policy.openMs, now)}`);
        if (ctx.shared) {
          console.log(`\nPending approvals: ${pending ? pending.length : 'unknown (the store cannot be read)'}`);
          for (const a of pending ?? []) console.log(formatApproval(a, now).replace(/^/gm, '  '));
        } else {
          console.log('\nPending approvals: kept inside the running agent (no REDIS_URL); set REDIS_URL to see them here.');
        }
        console.log(recent ? `\nLast ${actions.length} action${actions.length === 1 ? '' : 's'}:` : '\nLast actions: unknown (the audit trail cannot be read)');
        for (const e of actions) console.log(`  ${formatAuditLine(e)}`);
        console.log(endings ? `\nLast ${outcomes.length} outcome${outcomes.length === 1 ? '' : 's'}:` : '\nLast outcomes: unknown (the audit trail cannot be read)');
        for (const e of outcomes) console.log(`  ${e.ts}  ${e.incidentId ?? '-'}  ${describeOutcome(e.data as unknown as IncidentOutcome)}`);
        if (unavailable.length) console.error(`oncall-agent: status is incomplete: ${unavailable.join('; ')}`);
      });
    });
}

/** The daemons' own published settings: Redis (every replica) with REDIS_URL, else STATE_DIR/agent.json. */
async function readAgents(ctx: SafetyContext): Promise<PublishedAgent[]> {
  if (!ctx.config.REDIS_URL) return readPublishedAgents({ stateDir: ctx.config.STATE_DIR, prefix: ctx.config.REDIS_KEY_PREFIX });
  const { createRedis } = await import('../redis/create-redis.js');
  const { ensureRedisReady } = await import('../redis/ensure-ready.js');
  const redis = createRedis(ctx.config.REDIS_URL, 'command');
  try {
    await ensureRedisReady(redis);
    return await readPublishedAgents({ stateDir: ctx.config.STATE_DIR, redis, prefix: ctx.config.REDIS_KEY_PREFIX });
  } finally {
    redis.disconnect();
  }
}

/** What the running agent will do, from its own published settings; never this CLI's environment as if it were the daemon's. */
function describeAgents(agents: PublishedAgent[] | undefined, ctx: SafetyContext): string[] {
  if (!agents) return ['Running agent: unknown (its published settings cannot be read)'];
  if (agents.length === 0) {
    const where = ctx.config.REDIS_URL ? `in Redis (${ctx.config.REDIS_KEY_PREFIX}agent:*)` : `in ${ctx.config.STATE_DIR}/agent.json`;
    return [`Running agent: none found ${where}; start one with \`oncall-agent serve\` (its mode and settings show here once it runs)`];
  }
  const out: string[] = [];
  for (const a of agents) {
    out.push(`Running agent: pid ${a.pid} on ${a.host}, role ${a.role}, since ${a.startedAt}${a.simulated ? ', on the simulated cluster' : ''}, ${a.analyzer} analyzer`);
    out.push(`  Policy: ${a.policy}`);
    for (const w of a.warnings) out.push(`  Warning: ${w}`);
    out.push(`  Breaker scope: ${a.settings.BREAKER_SCOPE}; at most ${a.settings.MAX_ACTIONS_PER_INCIDENT} actions per incident${a.webhookUrl ? `; webhook: ${a.webhookUrl}` : ''}`);
    for (const f of a.failingAuditSinks ?? []) {
      out.push(`  Audit sink ${f.sink}: FAILING since ${f.failingSince ?? '?'}${f.target ? `, cannot write ${f.target}` : ''} (${f.lastError ?? 'unknown error'}); the other sinks still get every record`);
    }
  }
  return out;
}
