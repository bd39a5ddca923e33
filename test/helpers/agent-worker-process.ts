// The real agent as a BullMQ worker in its own process, for the fault tests: `tsx agent-worker-process.ts`, configured
// by its environment like `serve --role worker`, with two test-only differences: the diagnosis is the fixed proposal
// in FAULT_PROPOSALS (JSON, by incident id), and the job lock is short (2 s) so a killed worker's job is recovered fast.
// ONCALL_TEST_CRASH_AT and ONCALL_TEST_PAUSE_AT (read only by backend/src/execute/test-crash-hook.ts) make it SIGKILL
// itself at a boundary, or hold the run there until SIGUSR2 (test/helpers/fault-worker.ts).
import { createAgent } from '../../backend/src/app/create-agent.js';
import { loadConfig } from '../../backend/src/config/index.js';
import type { RemediationProposal } from '../../backend/src/domain/proposal.js';
import { createLogger } from '../../backend/src/observability/logger.js';
import { startBullmqWorker } from '../../backend/src/queue/index.js';
import { createRedis } from '../../backend/src/redis/create-redis.js';

const config = loadConfig(process.env, '/nonexistent/.env');
const logger = createLogger(config.LOG_LEVEL, { pretty: false });
const proposals = JSON.parse(process.env.FAULT_PROPOSALS ?? '{}') as Record<string, RemediationProposal>;
const agent = createAgent(config, {
  logger,
  workerId: `fault-worker-${process.pid}`,
  adapters: {
    diagnose: async (incident) => {
      const proposal = proposals[incident.id];
      if (!proposal) throw new Error(`no proposal for ${incident.id}`);
      return { ...proposal, incidentId: incident.id };
    },
  },
});
const worker = startBullmqWorker({
  connection: createRedis(config.REDIS_URL!, 'blocking'),
  concurrency: 1,
  logger,
  lockDurationMs: 2_000,
  stalledIntervalMs: 1_000,
  handler: agent.handleJob,
  onAbandoned: agent.recordAbandoned,
});
logger.info('fault worker ready');
process.on('SIGTERM', () => {
  void worker.close(2_000).then(() => agent.close()).then(() => process.exit(0));
});
