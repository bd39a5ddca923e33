// A BullMQ worker in its own process, for crash tests: `tsx worker-process.ts <redisUrl> <prefix>`.
// Its handler announces the job on stdout and then never finishes, so the test can SIGKILL it mid-job.
import { silentLogger } from '../../backend/src/observability/logger.js';
import { startBullmqWorker } from '../../backend/src/queue/index.js';
import { createRedis } from '../../backend/src/redis/create-redis.js';

const [redisUrl, prefix] = process.argv.slice(2);
startBullmqWorker({
  connection: createRedis(redisUrl, 'blocking'),
  prefix,
  concurrency: 1,
  logger: silentLogger(),
  lockDurationMs: 2_000,
  stalledIntervalMs: 1_000,
  handler: async (job, ctx) => {
    process.stdout.write(`${JSON.stringify({ running: ctx.jobId, kind: job.kind })}\n`);
    await new Promise(() => undefined);
  },
});
