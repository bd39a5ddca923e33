// Child process of bench-ingest.ts: serves (a) the real webhook route backed by BullMQ on a private redis-server and
// (b) a bare Express route answering 204, on two free ports, so the load generator does not share their CPU.
import express from 'express';
import { createApp } from '../backend/src/http/create-app.js';
import { startHttpServer } from '../backend/src/http/start-http-server.js';
import { createPagerDutyWebhookRouter } from '../backend/src/ingest/pagerduty-webhook-router.js';
import { silentLogger } from '../backend/src/observability/logger.js';
import { createMetrics } from '../backend/src/observability/metrics.js';
import { createBullmqQueue } from '../backend/src/queue/index.js';
import { createRedis } from '../backend/src/redis/create-redis.js';
import { startTestRedis } from '../test/helpers/redis-server.js';

const secret = process.env.BENCH_SECRET ?? 'bench-secret';
const redisServer = await startTestRedis();
// As main.ts builds the ingest queue's client.
const command = createRedis(redisServer.url, 'command');
const metrics = createMetrics();
const logger = silentLogger();
const queue = createBullmqQueue({ connection: command, retry: { attempts: 5, backoffMs: 2_000 }, metrics });
const ingest = createPagerDutyWebhookRouter({ secrets: [secret], queue, metrics, logger });
const app = createApp({ metrics, logger, ingest, readiness: { queue: () => queue.isHealthy() } });
const webhook = await startHttpServer(app, '127.0.0.1', 0);

const bareApp = express();
bareApp.post('/bare', (_req, res) => void res.status(204).end());
const bare = await startHttpServer(bareApp, '127.0.0.1', 0);

if (!(await queue.isHealthy())) throw new Error('bench: Redis did not come up');
process.send!({ webhookPort: webhook.port, barePort: bare.port });
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([webhook.close(), bare.close(), queue.close()]);
  await command.quit().catch(() => undefined);
  await redisServer.close();
  process.exit(0);
}
// The parent went away (crash, Ctrl-C): never leave redis-server behind.
process.on('disconnect', () => void stop());
process.on('message', async (message: { type: string }) => {
  if (message.type === 'cpu') {
    // CPU seconds spent so far by this process and by redis-server: per-request cost, independent of machine load.
    const info = await command.info('cpu');
    const redisCpu = ['used_cpu_sys', 'used_cpu_user'].reduce((sum, k) => sum + Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0), 0);
    const own = process.cpuUsage();
    process.send!({ serverCpu: (own.user + own.system) / 1e6, redisCpu });
  }
  if (message.type === 'stats') {
    const text = await metrics.registry.metrics();
    const count = (outcome: string) => Number(new RegExp(`oncall_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    process.send!({ accepted: count('accepted'), duplicate: count('duplicate'), unavailable: count('unavailable'), jobsInRedis: await command.llen('bull:incidents:wait') });
  }
  if (message.type === 'stop') await stop();
});
