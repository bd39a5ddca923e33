// npm run bench:ingest — one run, ~10 s per phase: the signed webhook route (real Redis, real BullMQ) against a bare
// Express route answering 204, at full speed, then the webhook route at a fixed 500 req/s.
// autocannon's overallRate gives each connection a per-second budget, so the load comes in bursts at each second.
// Targets on a 2-core machine: webhook/bare req/s ratio ≥ 0.5, and p99 < 25 ms at 500 req/s.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { signatureHeader } from '../backend/src/pagerduty/verify-signature.js';

const SECRET = 'bench-secret';
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const FIXED_RATE = 500;

const template = {
  event: {
    id: '',
    event_type: 'incident.triggered',
    resource_type: 'incident',
    occurred_at: new Date().toISOString(),
    agent: null,
    client: null,
    data: {
      id: '',
      type: 'incident',
      self: 'https://api.pagerduty.com/incidents/PBENCH',
      html_url: 'https://acme.pagerduty.com/incidents/PBENCH',
      number: 1,
      status: 'triggered',
      incident_key: 'bench',
      created_at: new Date().toISOString(),
      title: 'CrashLoopBackOff: deployment/web in namespace shop',
      service: { id: 'PF9KMXH', type: 'service_reference', summary: 'shop-web' },
      urgency: 'high',
    },
  },
};

let sequence = 0;
/** A new delivery per request: new X-Webhook-Id, event id and incident id, so every request is a real enqueue. */
function nextDelivery(): { body: string; headers: Record<string, string> } {
  sequence += 1;
  const run = `${process.pid}-${sequence}`;
  template.event.id = `ev-${run}`;
  template.event.data.id = `PB${run}`;
  const body = JSON.stringify(template);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-webhook-id': randomUUID(),
      'x-pagerduty-signature': signatureHeader(Buffer.from(body), [SECRET]),
    },
  };
}

interface Phase {
  name: string;
  requests: number;
  serverCpuUs: number;
  redisCpuUs: number;
  loadGenCpuUs: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

type Cpu = { serverCpu: number; redisCpu: number };

async function run(name: string, url: string, options: Partial<autocannon.Options>): Promise<Phase> {
  const first = nextDelivery();
  const before = await message<Cpu>(server, { type: 'cpu' });
  const ownBefore = process.cpuUsage();
  const result = await autocannon({
    url,
    method: 'POST',
    duration: DURATION_S,
    connections: CONNECTIONS,
    body: first.body,
    headers: first.headers,
    requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, ...nextDelivery() }) }],
    ...options,
  });
  const own = process.cpuUsage(ownBefore);
  const after = await message<Cpu>(server, { type: 'cpu' });
  const requests = result.requests.total;
  return {
    name,
    requests,
    serverCpuUs: ((after.serverCpu - before.serverCpu) / requests) * 1e6,
    redisCpuUs: ((after.redisCpu - before.redisCpu) / requests) * 1e6,
    loadGenCpuUs: (own.user + own.system) / requests,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

const server: ChildProcess = fork(join(import.meta.dirname, 'bench-ingest-server.ts'), [], {
  execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
  env: { ...process.env, BENCH_SECRET: SECRET },
});

const message = <T>(child: ChildProcess, send?: object): Promise<T> =>
  new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    if (send) child.send(send);
  });


try {
  const { webhookPort, barePort } = await message<{ webhookPort: number; barePort: number }>(server);
  const webhookUrl = `http://127.0.0.1:${webhookPort}/webhooks/pagerduty`;
  const bareUrl = `http://127.0.0.1:${barePort}/bare`;
  console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores`);
  console.log(`bench:ingest: ${DURATION_S} s per phase, ${CONNECTIONS} connections; redis-server private; webhook and bare servers in one child process`);

  const only = process.env.BENCH_PROFILE_ONLY ?? (process.env.BENCH_PROFILE_WEBHOOK_ONLY ? 'webhook' : undefined);
  if (only) {
    // For profiling with BENCH_CPU_PROF: one route at full speed (BENCH_PROFILE_ONLY=webhook|bare), so the profile
    // holds one kind of request; its `requests` is the --per figure for scripts/summarize-cpu-profile.ts.
    console.log(await (only === 'bare' ? run('bare Express 204', bareUrl, {}) : run('signed webhook → BullMQ', webhookUrl, {})));
  } else {
    await benchmark(webhookUrl, bareUrl);
  }
} finally {
  server.send({ type: 'stop' });
  await new Promise((resolve) => server.once('exit', resolve));
}

async function benchmark(webhookUrl: string, bareUrl: string): Promise<void> {
  await run('warm-up', webhookUrl, { duration: 2 });
  await run('warm-up', bareUrl, { duration: 2 });
  const bare = await run('bare Express 204', bareUrl, {});
  const webhook = await run('signed webhook → BullMQ', webhookUrl, {});
  const fixed = await run(`signed webhook at ${FIXED_RATE} req/s`, webhookUrl, { overallRate: FIXED_RATE, connections: 10 });
  // autocannon's coordinated-omission correction uses ceil(1/rate) as the expected interval (1 ms at this rate, a
  // seconds/milliseconds mix-up), back-filling one synthetic sample per millisecond of every response: the raw
  // distribution is shown next to it.
  const fixedRaw = await run(`same, raw latencies (no CO correction)`, webhookUrl, { overallRate: FIXED_RATE, connections: 10, ignoreCoordinatedOmission: true });
  const stats = await message<{ accepted: number; duplicate: number; unavailable: number; jobsInRedis: number }>(server, { type: 'stats' });

  const row = (p: Phase) =>
    `${p.name.padEnd(40)} ${p.reqPerSec.toFixed(0).padStart(8)} req/s   p50 ${String(p.p50).padStart(4)} ms   p99 ${String(p.p99).padStart(4)} ms   non-2xx ${p.non2xx}  errors ${p.errors}  timeouts ${p.timeouts}   CPU/req: server ${p.serverCpuUs.toFixed(0)} µs, redis ${p.redisCpuUs.toFixed(0)} µs, load generator ${p.loadGenCpuUs.toFixed(0)} µs`;
  console.log('');
  for (const p of [bare, webhook, fixed, fixedRaw]) console.log(row(p));
  const ratio = webhook.reqPerSec / bare.reqPerSec;
  console.log('');
  console.log(`ratio webhook/bare: ${ratio.toFixed(2)} (target ≥ 0.5) ${ratio >= 0.5 ? 'OK' : 'MISSED'}`);
  // What the req/s ratio tends to when the server process is the bottleneck; steadier than req/s when other work
  // shares the cores, since it does not depend on how much CPU the server got.
  console.log(`server CPU per request, bare/webhook: ${(bare.serverCpuUs / webhook.serverCpuUs).toFixed(2)} (${bare.serverCpuUs.toFixed(0)} / ${webhook.serverCpuUs.toFixed(0)} µs)`);
  console.log(`p99 at ${FIXED_RATE} req/s: ${fixed.p99} ms as autocannon reports it, ${fixedRaw.p99} ms raw (target < 25 ms) ${fixed.p99 < 25 ? 'OK' : 'MISSED'}`);
  console.log(`deliveries: ${stats.accepted} accepted (jobs stored), ${stats.duplicate} duplicate, ${stats.unavailable} unavailable; jobs waiting in Redis: ${stats.jobsInRedis}`);
}
