// npm run bench:storm [-- --deliveries 1000 --incidents 20 --window-s 10 --timeout-s 300]
// An alert storm: D signed PagerDuty deliveries in W seconds for I incidents that all point at the same broken
// deployment (a bad rollout with a healthy previous revision), retries and duplicates mixed in: the same delivery
// re-sent (same X-Webhook-Id) and the same event re-sent under a new X-Webhook-Id. One `serve --role api`, two
// `serve --role worker`, one private redis-server, kube-sim. Expected: exactly one remediation of the deployment;
// every other incident ends escalated or no_action naming the incident that handled it; every delivery answered
// within PagerDuty's 5 s. Prints figures and PASS/MISS; asserts nothing. Bounded by --timeout-s.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadFixture, signDelivery, type SignedDelivery } from '../test/helpers/sign-pagerduty.js';
import { duplicateWrites, outcomesIn, passOrMiss, percentile, startAgentCluster, topReasons } from './bench/agent-cluster.js';

const { values } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '1000' },
    incidents: { type: 'string', default: '20' },
    'window-s': { type: 'string', default: '10' },
    'timeout-s': { type: 'string', default: '300' },
  },
});
const D = Number(values.deliveries);
const I = Number(values.incidents);
const WINDOW_MS = Number(values['window-s']) * 1_000;
const TIMEOUT_MS = Number(values['timeout-s']) * 1_000;
const SECRET = 'bench-storm-secret';
const NS = 'storm';
const BAD_IMAGE = 'nginx:does-not-exist';

// A fixed seed: the same storm every run.
let seed = 12;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

const incidents = Array.from({ length: I }, (_, i) => `PSTORM${String(i + 1).padStart(2, '0')}`);
function eventFor(incidentId: string) {
  const payload = loadFixture('incident.triggered');
  payload.event.id = `ev-${incidentId}`;
  payload.event.occurred_at = new Date().toISOString(); // the fixture's date would be refused as a replay
  payload.event.data.id = incidentId;
  payload.event.data.title = `Pods of ${NS}/web cannot start`;
  return payload;
}
interface Planned {
  at: number;
  incidentId: string;
  kind: 'first' | 'retry (same X-Webhook-Id)' | 'duplicate (same event, new X-Webhook-Id)';
  delivery: SignedDelivery;
}
const planned: Planned[] = incidents.map((id, i) => ({ at: (i * 1_000) / I, incidentId: id, kind: 'first', delivery: signDelivery(eventFor(id), [SECRET], `wh-${id}-0`) }));
for (let n = planned.length; n < D; n += 1) {
  const id = incidents[Math.floor(random() * I)];
  const retry = random() < 0.5;
  planned.push({
    at: random() * WINDOW_MS,
    incidentId: id,
    kind: retry ? 'retry (same X-Webhook-Id)' : 'duplicate (same event, new X-Webhook-Id)',
    delivery: signDelivery(eventFor(id), [SECRET], retry ? `wh-${id}-0` : `wh-${id}-${n}`),
  });
}
planned.sort((a, b) => a.at - b.at);

console.log(`bench:storm: ${D} deliveries in ${WINDOW_MS / 1000} s for ${I} incidents on ${NS}/web; 1 api + 2 worker processes, one redis-server, kube-sim`);
console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores (absolute times are noisy on a shared machine)`);
const cluster = await startAgentCluster({
  workers: 2,
  simSpeed: 30,
  simNodes: 3,
  secret: SECRET,
  env: { K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', TARGET_COOLDOWN_SECONDS: '300', WORKER_CONCURRENCY: '4' },
});
const hardStop = setTimeout(() => {
  console.error(`bench:storm: gave up after ${TIMEOUT_MS / 1000} s`);
  void cluster.stop().finally(() => process.exit(2));
}, TIMEOUT_MS + 120_000);
hardStop.unref();

try {
  const { kubectl } = cluster;
  const deployment = (image: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } } },
  });
  await kubectl.ok(['create', 'namespace', NS]);
  await kubectl.ok(['apply', '-f', '-'], { input: JSON.stringify(deployment('nginx:1.25')) });
  await kubectl.ok(['rollout', 'status', 'deployment/web', '-n', NS, '--timeout=120s'], { timeoutMs: 130_000 });
  await kubectl.ok(['set', 'image', 'deployment/web', '-n', NS, `app=${BAD_IMAGE}`]);
  await waitFor(async () => (await kubectl.ok(['get', 'pods', '-n', NS, '-o', 'jsonpath={.items[*].status.containerStatuses[*].state.waiting.reason}'])).match(/ImagePull|ErrImage/) !== null, 'a pod failing to pull');
  const revisionBefore = await revision();

  const started = Date.now();
  const answered = await Promise.all(
    planned.map(async (p) => {
      await sleep(started + p.at - Date.now());
      const sent = Date.now();
      try {
        const res = await fetch(`${cluster.apiUrl}/webhooks/pagerduty`, { method: 'POST', body: p.delivery.body, headers: p.delivery.headers, signal: AbortSignal.timeout(5_000) });
        const body = (await res.json()) as { status?: string };
        return { p, status: res.status, answer: body.status ?? '', ms: Date.now() - sent };
      } catch (error) {
        // fetch's TypeError says only "fetch failed"; its cause (ECONNRESET, a connect timeout…) is the figure worth printing.
        const cause = (error as Error & { cause?: { code?: string; name?: string } }).cause;
        return { p, status: 0, answer: `${(error as Error).name}${cause ? ` (${cause.code ?? cause.name})` : ''}`, ms: Date.now() - sent };
      }
    }),
  );
  const sentMs = Date.now() - started;

  const terminal = () => new Set(outcomesIn(cluster.readAudit()).filter((o) => o.outcome.outcome !== 'awaiting_approval').map((o) => o.incidentId));
  const deadline = started + TIMEOUT_MS;
  while (Date.now() < deadline && incidents.some((id) => !terminal().has(id))) await sleep(1_000);
  await sleep(5_000); // a late second run of an incident would show here
  const events = cluster.readAudit();
  const outcomes = outcomesIn(events);
  const writes = events.filter((e) => e.type === 'execution' && String((e.data as { command?: string }).command).includes(`-n ${NS}`));
  const clusterWrites = (await revision()) - revisionBefore;
  const handlers = [...new Set(writes.map((e) => e.incidentId ?? ''))];
  const perIncident = new Map<string, string[]>();
  for (const o of outcomes) perIncident.set(o.incidentId, [...(perIncident.get(o.incidentId) ?? []), o.outcome.outcome]);
  const others = outcomes.filter((o) => !handlers.includes(o.incidentId));
  const pointing = others.filter((o) => handlers.some((h) => o.outcome.reasons.join(' ').includes(h)));
  const othersOk = others.every((o) => o.outcome.outcome === 'escalated' || o.outcome.outcome === 'no_action');
  const latencies = answered.map((a) => a.ms).sort((a, b) => a - b);
  const statuses = new Map<string, number>();
  for (const a of answered) statuses.set(`${a.status} ${a.answer}`, (statuses.get(`${a.status} ${a.answer}`) ?? 0) + 1);
  const kinds = new Map<string, number>();
  for (const p of planned) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);

  console.log('');
  console.log(`deliveries:          ${D} in ${(sentMs / 1000).toFixed(1)} s (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})`);
  console.log(`answers:             ${[...statuses].sort().map(([k, n]) => `${k}: ${n}`).join(', ')}`);
  console.log(`response time:       p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms`);
  console.log(`remediations:        ${writes.length} execution record(s) on ${NS}/* by ${handlers.join(', ') || 'nobody'}; cluster: deployment revision +${clusterWrites}`);
  console.log(`duplicate writes:    ${duplicateWrites(events).length}`);
  console.log(`outcomes:            ${outcomes.length} for ${perIncident.size} / ${I} incidents; ${[...perIncident].filter(([, l]) => l.length > 1).length} incident(s) with more than one`);
  console.log(`  by kind:           ${countBy(outcomes.map((o) => o.outcome.outcome))}`);
  console.log(`  others naming the handler: ${pointing.length} / ${others.length}`);
  for (const [reason, n] of topReasons(others.map((o) => o.outcome), 6)) console.log(`    ${String(n).padStart(4)}  ${reason}`);
  const rss = cluster.peakRssMb();
  console.log(`peak RSS (VmHWM):    ${Object.entries(rss).map(([k, v]) => `${k} ${v.toFixed(0)} MB`).join(', ')}`);
  console.log('');
  console.log(`${passOrMiss(writes.length === 1 && clusterWrites === 1)} exactly one remediation of ${NS}/web`);
  console.log(`${passOrMiss(perIncident.size === I && othersOk)} every other incident ends escalated or no_action`);
  console.log(`${passOrMiss(pointing.length === others.length)} each of them names the incident that handled it`);
  console.log(`${passOrMiss((latencies.at(-1) ?? Infinity) < 5_000 && answered.every((a) => a.status === 202))} every delivery answered 202 within 5 s`);

  async function revision(): Promise<number> {
    return Number(await kubectl.ok(['get', 'deployment', 'web', '-n', NS, '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']));
  }
} finally {
  await cluster.stop();
}

function countBy(items: string[]): string {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return [...m].sort().map(([k, n]) => `${k} ${n}`).join(', ');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`bench:storm: timed out waiting for ${what}`);
    await sleep(500);
  }
}
