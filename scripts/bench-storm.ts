// npm run bench:storm [-- --deliveries 1000 --incidents 20 --window-s 10 --timeout-s 300 --connections 16]
// An alert storm: D signed PagerDuty deliveries in W seconds for I incidents that all point at the same broken
// deployment (a bad rollout with a healthy previous revision), retries and duplicates mixed in: the same delivery
// re-sent (same X-Webhook-Id) and the same event re-sent under a new X-Webhook-Id. One `serve --role api`, two
// `serve --role worker`, one private redis-server, kube-sim. Expected: exactly one remediation of the deployment;
// every other incident ends escalated or no_action naming the incident that handled it; every delivery answered
// within PagerDuty's 5 s, counted from the moment each delivery was due. The sender keeps a pool of --connections
// keep-alive connections, as a real sender does (scripts/bench/webhook-sender.ts). Prints figures and PASS/FAIL;
// asserts nothing. Bounded by --timeout-s.
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadFixture, signDelivery, type SignedDelivery } from '../test/helpers/sign-pagerduty.js';
import { duplicateWrites, outcomesIn, passOrFail, percentile, startAgentCluster, topReasons } from './bench/agent-cluster.js';
import { createWebhookSender } from './bench/webhook-sender.js';

const { values } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '1000' },
    incidents: { type: 'string', default: '20' },
    'window-s': { type: 'string', default: '10' },
    'timeout-s': { type: 'string', default: '300' },
    connections: { type: 'string', default: '16' },
  },
});
const D = Number(values.deliveries);
const I = Number(values.incidents);
const WINDOW_MS = Number(values['window-s']) * 1_000;
const TIMEOUT_MS = Number(values['timeout-s']) * 1_000;
const CONNECTIONS = Number(values.connections);
/** PagerDuty gives up on a delivery after 5 s. */
const ANSWER_WITHIN_MS = 5_000;
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

  // The sender shares this process with the log readers: its own event-loop delay shows when it, not the API, is late.
  const senderDelay = monitorEventLoopDelay({ resolution: 10 });
  senderDelay.enable();
  const sender = createWebhookSender(`${cluster.apiUrl}/webhooks/pagerduty`, { connections: CONNECTIONS, timeoutMs: ANSWER_WITHIN_MS });
  const started = Date.now();
  const answered = await Promise.all(
    planned.map(async (p) => {
      await sleep(started + p.at - Date.now());
      return { p, ...(await sender.send(p.delivery)) };
    }),
  );
  sender.close();
  senderDelay.disable();
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
  const latencies = answered.map((a) => a.totalMs).sort((a, b) => a - b);
  const serverTimes = answered.map((a) => a.answerMs).sort((a, b) => a - b);
  const queued = answered.map((a) => a.queuedMs).sort((a, b) => a - b);
  const within = answered.filter((a) => a.status !== 0 && a.totalMs < ANSWER_WITHIN_MS).length;
  const dropped = answered.filter((a) => a.dropped).length;
  const timedOut = answered.filter((a) => a.timedOut).length;
  const refused = await refusedConnections();
  const apiTimes = await apiAnswerTimes();
  const statuses = new Map<string, number>();
  for (const a of answered) statuses.set(`${a.status} ${a.answer}`, (statuses.get(`${a.status} ${a.answer}`) ?? 0) + 1);
  const kinds = new Map<string, number>();
  for (const p of planned) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);

  console.log('');
  console.log(`deliveries:          ${D} in ${(sentMs / 1000).toFixed(1)} s (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})`);
  console.log(`answers:             ${[...statuses].sort().map(([k, n]) => `${k}: ${n}`).join(', ')}`);
  console.log(`answered within 5 s: ${within} / ${D} (from when each was due); no answer: ${dropped} dropped connection(s), ${timedOut} timed out`);
  console.log(`answer time:         p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms from due; server alone p99 ${percentile(serverTimes, 99)} ms, max ${serverTimes.at(-1)} ms; waiting for a connection max ${queued.at(-1)} ms`);
  console.log(`as the API saw it:   ${apiTimes}`);
  console.log(`sender's event loop: delay p99 ${(senderDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(senderDelay.max / 1e6).toFixed(0)} ms (late reading of answers shows here, not in the API)`);
  console.log(`connections:         the sender opened ${sender.connectionsOpened()} (pool of ${CONNECTIONS}, keep-alive); the API refused ${refused.answered503} with 503 and dropped ${refused.dropped} past HTTP_MAX_CONNECTIONS`);
  console.log(`remediations:        ${writes.length} execution record(s) on ${NS}/* by ${handlers.join(', ') || 'nobody'}; cluster: deployment revision +${clusterWrites}`);
  console.log(`duplicate writes:    ${duplicateWrites(events).length}`);
  console.log(`outcomes:            ${outcomes.length} for ${perIncident.size} / ${I} incidents; ${[...perIncident].filter(([, l]) => l.length > 1).length} incident(s) with more than one`);
  console.log(`  by kind:           ${countBy(outcomes.map((o) => o.outcome.outcome))}`);
  console.log(`  others naming the handler: ${pointing.length} / ${others.length}`);
  for (const [reason, n] of topReasons(others.map((o) => o.outcome), 6)) console.log(`    ${String(n).padStart(4)}  ${reason}`);
  const rss = cluster.peakRssMb();
  console.log(`peak RSS (VmHWM):    ${Object.entries(rss).map(([k, v]) => `${k} ${v.toFixed(0)} MB`).join(', ')}`);
  console.log('');
  console.log(`${passOrFail(writes.length === 1 && clusterWrites === 1)} exactly one remediation of ${NS}/web`);
  console.log(`${passOrFail(perIncident.size === I && othersOk)} every other incident ends escalated or no_action`);
  console.log(`${passOrFail(pointing.length === others.length)} each of them names the incident that handled it`);
  console.log(`${passOrFail(within === D && answered.every((a) => a.status === 202))} every delivery answered 202 within 5 s (max ${latencies.at(-1)} ms; ${dropped} dropped)`);

  /** From oncall_webhook_duration_seconds: how many deliveries the API answered within each bucket, in its own time. */
  async function apiAnswerTimes(): Promise<string> {
    const text = await (await fetch(`${cluster.apiUrl}/metrics`)).text().catch(() => '');
    const le = new Map<string, number>();
    for (const m of text.matchAll(/oncall_webhook_duration_seconds_bucket\{le="([^"]+)",outcome="[^"]+"\} (\d+)/g)) le.set(m[1], (le.get(m[1]) ?? 0) + Number(m[2]));
    const all = le.get('+Inf') ?? 0;
    return `${all} answered; within 10 ms ${le.get('0.01') ?? 0}, 100 ms ${le.get('0.1') ?? 0}, 1 s ${le.get('1') ?? 0}, 2.5 s ${le.get('2.5') ?? 0}`;
  }

  /** The API's own count of connections it refused (oncall_http_connections_refused_total). */
  async function refusedConnections(): Promise<{ answered503: number; dropped: number }> {
    const text = await (await fetch(`${cluster.apiUrl}/metrics`)).text().catch(() => '');
    const count = (how: string) => Number(new RegExp(`oncall_http_connections_refused_total\\{how="${how}"\\} (\\d+)`).exec(text)?.[1] ?? NaN);
    return { answered503: count('answered-503'), dropped: count('dropped') };
  }

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
