// npm run bench:soak [-- --incidents N --arrival-s S --workers W --timeout-s T]
// N incidents (default 200) on N broken deployments of kube-sim, arriving as signed PagerDuty V3 webhooks spread over
// S seconds (default 60), taken by one `serve --role api` and handled by W `serve --role worker` processes (default 2)
// sharing one private redis-server. Three in four deployments are a bad rollout with a healthy previous revision
// (fixable: rollout undo); one in four never had a healthy revision (the runbook escalates).
// Judged from the incident.outcome records, the execution records and the cluster's deployment revisions.
// Prints figures and PASS/MISS against the targets; asserts nothing. Bounded: stops after T seconds (default 600).
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadFixture, signDelivery } from '../test/helpers/sign-pagerduty.js';
import { duplicateWrites, outcomesIn, passOrFail, percentile, startAgentCluster, topReasons } from './bench/agent-cluster.js';

const { values } = parseArgs({
  options: {
    incidents: { type: 'string', default: '200' },
    'arrival-s': { type: 'string', default: '60' },
    workers: { type: 'string', default: '2' },
    'timeout-s': { type: 'string', default: '600' },
    concurrency: { type: 'string', default: '8' },
    // kube-sim's clock runs this many times faster than real time: too fast on a loaded machine and the simulated
    // kubelets miss their heartbeats (nodes go NotReady) and rollouts pass their progress deadline.
    'sim-speed': { type: 'string', default: '10' },
  },
});
const N = Number(values.incidents);
const ARRIVAL_MS = Number(values['arrival-s']) * 1_000;
const TIMEOUT_MS = Number(values['timeout-s']) * 1_000;
const SECRET = 'bench-soak-secret';
const PER_NS = 20;
const BAD_IMAGE = 'nginx:does-not-exist';
// Production defaults are 10 writes per 300 s; a soak of 200 would escalate nearly all of them on that alone.
const RATE = { CLUSTER_RATE_LIMIT: '100', CLUSTER_RATE_WINDOW_SECONDS: '120' };

interface Target {
  ns: string;
  name: string;
  fixable: boolean;
  incidentId: string;
}
const targets: Target[] = Array.from({ length: N }, (_, i) => ({
  ns: `soak-${String(Math.floor(i / PER_NS)).padStart(2, '0')}`,
  name: `web-${String(i).padStart(3, '0')}`,
  fixable: i % 4 !== 3,
  incidentId: `PSOAK${String(i).padStart(4, '0')}`,
}));

const deployment = (t: Target, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: t.name, namespace: t.ns, labels: { fixable: String(t.fixable) } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: t.name } },
    template: {
      metadata: { labels: { app: t.name } },
      spec: { containers: [{ name: 'app', image, resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } } }] },
    },
  },
});

console.log(`bench:soak: ${N} incidents over ${ARRIVAL_MS / 1000} s, 1 api + ${values.workers} worker processes (WORKER_CONCURRENCY ${values.concurrency}), one redis-server, kube-sim`);
console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores (absolute times are noisy on a shared machine)`);
const cluster = await startAgentCluster({
  workers: Number(values.workers),
  simSpeed: Number(values['sim-speed']),
  simNodes: Math.max(3, Math.ceil(N / 40)),
  secret: SECRET,
  env: { ...RATE, WORKER_CONCURRENCY: values.concurrency!, TARGET_COOLDOWN_SECONDS: '300', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true' },
});
const hardStop = setTimeout(() => {
  console.error(`bench:soak: gave up after ${TIMEOUT_MS / 1000} s`);
  void cluster.stop().finally(() => process.exit(2));
}, TIMEOUT_MS + 180_000);
hardStop.unref();

try {
  const { kubectl } = cluster;
  const namespaces = [...new Set(targets.map((t) => t.ns))];
  const seedStart = Date.now();
  await kubectl.ok(['apply', '-f', '-'], { input: stream(namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }))) });
  const items = targets.map((t) => deployment(t, t.fixable ? 'nginx:1.25' : BAD_IMAGE));
  await kubectl.ok(['apply', '-f', '-'], { input: stream(items), timeoutMs: 120_000 });
  await waitFor(async () => {
    const list = JSON.parse(await kubectl.ok(['get', 'deployments', '-A', '-l', 'fixable=true', '-o', 'json'], { timeoutMs: 60_000 })) as { items: Array<{ status?: { availableReplicas?: number } }> };
    return list.items.length === targets.filter((t) => t.fixable).length && list.items.every((d) => d.status?.availableReplicas === 1);
  }, 'the fixable deployments to roll out');
  for (const ns of namespaces) await kubectl.ok(['set', 'image', 'deployments', '-l', 'fixable=true', `app=${BAD_IMAGE}`, '-n', ns]);
  await waitFor(async () => {
    const pods = JSON.parse(await kubectl.ok(['get', 'pods', '-A', '-o', 'json'], { timeoutMs: 60_000 })) as { items: Array<{ metadata: { labels?: Record<string, string> }; status?: { containerStatuses?: Array<{ state?: { waiting?: { reason?: string } } }> } }> };
    const pulling = new Set(pods.items.filter((p) => p.status?.containerStatuses?.some((c) => /ImagePull|ErrImage/.test(c.state?.waiting?.reason ?? ''))).map((p) => p.metadata.labels?.app));
    return targets.every((t) => pulling.has(t.name));
  }, 'every deployment to have a pod failing to pull');
  console.log(`seeded ${N} broken deployments (${targets.filter((t) => t.fixable).length} bad rollouts with a healthy previous revision, ${targets.filter((t) => !t.fixable).length} with none) in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

  // Arrivals spread evenly over the window; a 503 or a refused connection is retried as PagerDuty would.
  const started = Date.now();
  const results = await Promise.all(
    targets.map(async (t, i) => {
      await sleep(started + (i * ARRIVAL_MS) / N - Date.now());
      const payload = loadFixture('incident.triggered');
      payload.event.id = `ev-${t.incidentId}`;
      payload.event.occurred_at = new Date().toISOString(); // the fixture's date would be refused as a replay
      payload.event.data.id = t.incidentId;
      payload.event.data.title = `Pods of ${t.ns}/${t.name} cannot start`;
      const delivery = signDelivery(payload, [SECRET], `delivery-${t.incidentId}`);
      for (let attempt = 1; ; attempt += 1) {
        const sent = Date.now();
        try {
          const res = await fetch(`${cluster.apiUrl}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers, signal: AbortSignal.timeout(5_000) });
          const body = (await res.json()) as { status?: string };
          if (res.status === 202 || attempt >= 5) return { t, status: res.status, accepted: res.status === 202 && body.status !== 'ignored', ms: Date.now() - sent, attempts: attempt };
        } catch {
          if (attempt >= 5) return { t, status: 0, accepted: false, ms: Date.now() - sent, attempts: attempt };
        }
        await sleep(1_000);
      }
    }),
  );
  const sentAllMs = Date.now() - started;
  const accepted = results.filter((r) => r.accepted);
  console.log(`sent ${N} deliveries in ${(sentAllMs / 1000).toFixed(1)} s: ${accepted.length} accepted (202), retried ${results.filter((r) => r.attempts > 1).length}, max response ${Math.max(...results.map((r) => r.ms))} ms`);

  const wanted = new Set(accepted.map((r) => r.t.incidentId));
  // Every outcome kind ends the agent's run; awaiting_approval hands a hashed plan to a human (counted apart below).
  const terminal = () => new Set(outcomesIn(cluster.readAudit()).map((o) => o.incidentId));
  const deadline = started + TIMEOUT_MS;
  while (Date.now() < deadline && [...wanted].some((id) => !terminal().has(id))) await sleep(1_000);
  await sleep(3_000); // nothing more should arrive: a second outcome for an incident would show here
  const events = cluster.readAudit();
  const outcomes = outcomesIn(events).filter((o) => wanted.has(o.incidentId));
  const byIncident = new Map<string, typeof outcomes>();
  for (const o of outcomes) byIncident.set(o.incidentId, [...(byIncident.get(o.incidentId) ?? []), o]);
  const lost = [...wanted].filter((id) => !byIncident.has(id));
  const notTerminal = [...wanted].filter((id) => !terminal().has(id));
  const multiple = [...byIncident].filter(([, list]) => list.length > 1);
  const dupAudit = duplicateWrites(events);

  // The cluster's own count of writes: each rollout undo bumps the deployment's revision by one.
  const deps = JSON.parse(await kubectl.ok(['get', 'deployments', '-A', '-o', 'json'], { timeoutMs: 60_000 })) as { items: Array<{ metadata: { name: string; namespace: string; annotations?: Record<string, string> } }> };
  const revision = new Map(deps.items.map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, Number(d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)]));
  const clusterWrites = targets.map((t) => ({ t, writes: (revision.get(`${t.ns}/${t.name}`) ?? 0) - (t.fixable ? 2 : 1) }));
  // A rolled-back fix is two writes by design (the fix, then the restore of its snapshot).
  const kindOf = new Map(outcomes.map((o) => [o.incidentId, o.outcome.outcome]));
  const dupCluster = clusterWrites.filter((c) => c.writes > (kindOf.get(c.t.incidentId) === 'rolled_back' ? 2 : 1));
  const execByIncident = new Set(events.filter((e) => e.type === 'execution').map((e) => e.incidentId));
  const silentWrites = clusterWrites.filter((c) => c.writes > 0 && !execByIncident.has(c.t.incidentId));

  const kinds = new Map<string, number>();
  for (const o of outcomes) kinds.set(o.outcome.outcome, (kinds.get(o.outcome.outcome) ?? 0) + 1);
  const decision = outcomes.map((o) => o.outcome.timings.toDecisionMs).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  const lastOutcomeMs = Math.max(...outcomes.map((o) => Date.parse(o.ts))) - started;
  const escalations = outcomes.filter((o) => o.outcome.outcome === 'escalated' || o.outcome.outcome === 'refused').map((o) => o.outcome);
  const unexplained = escalations.filter((o) => o.reasons.length === 0 || o.reasons.some((r) => r.trim() === ''));
  const rss = cluster.peakRssMb();
  const redisMem = await cluster.redisMemory();

  console.log('');
  console.log(`accepted:                ${accepted.length} / ${N}`);
  console.log(`lost:                    ${lost.length}${lost.length ? ` (${lost.slice(0, 10).join(', ')})` : ''}`);
  console.log(`not terminal:            ${notTerminal.length}`);
  console.log(`more than one outcome:   ${multiple.length}${multiple.length ? ` (${multiple.slice(0, 5).map(([id, l]) => `${id}×${l.length}`).join(', ')})` : ''}`);
  console.log(`duplicate writes:        audit ${dupAudit.length}${dupAudit.length ? ` (${dupAudit.slice(0, 5).map((d) => `${d.key}×${d.count}`).join(', ')})` : ''}, cluster ${dupCluster.length}${dupCluster.length ? ` (${dupCluster.slice(0, 5).map((c) => `${c.t.ns}/${c.t.name} +${c.writes}`).join(', ')})` : ''}`);
  console.log(`writes the audit misses: ${silentWrites.length}`);
  console.log(`outcomes by kind:        ${[...kinds].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`  fixable targets fixed: ${outcomes.filter((o) => o.outcome.outcome === 'fixed' && targets.find((t) => t.incidentId === o.incidentId)?.fixable).length} / ${targets.filter((t) => t.fixable && wanted.has(t.incidentId)).length}`);
  console.log(`decision latency:        p50 ${percentile(decision, 50)} ms, p95 ${percentile(decision, 95)} ms, p99 ${percentile(decision, 99)} ms (n=${decision.length}, from incident.outcome timings.toDecisionMs)`);
  console.log(`last outcome:            ${(lastOutcomeMs / 1000).toFixed(1)} s after the first delivery (arrivals took ${(sentAllMs / 1000).toFixed(1)} s; ratio ${(lastOutcomeMs / sentAllMs).toFixed(2)})`);
  console.log(`peak RSS (VmHWM):        ${Object.entries(rss).map(([k, v]) => `${k} ${v.toFixed(0)} MB`).join(', ')}`);
  console.log(`redis memory:            used ${redisMem.usedMb.toFixed(1)} MB, peak ${redisMem.peakMb.toFixed(1)} MB`);
  const rolledBack = outcomes.filter((o) => o.outcome.outcome === 'rolled_back').map((o) => o.outcome);
  if (rolledBack.length) {
    console.log('rolled back, top reasons:');
    for (const [reason, n] of topReasons(rolledBack, 3)) console.log(`  ${String(n).padStart(4)}  ${reason}`);
  }
  const waiting = outcomes.filter((o) => o.outcome.outcome === 'awaiting_approval').map((o) => o.outcome);
  if (waiting.length) console.log(`awaiting approval: ${waiting.length} (handed to a human with a plan; e.g. the breaker open moves YOLO to approval)`);
  console.log(`escalations with reasons: ${escalations.length - unexplained.length} / ${escalations.length}; top reasons:`);
  for (const [reason, n] of topReasons(escalations)) console.log(`  ${String(n).padStart(4)}  ${reason}`);
  console.log(`settings: ${Object.entries(RATE).map(([k, v]) => `${k}=${v}`).join(' ')}, TARGET_COOLDOWN_SECONDS=300, K8S_ENABLE_DESTRUCTIVE_OPERATIONS=true (rollout undo is medium risk), EXECUTION_MODE=yolo, sim speed ${values['sim-speed']}`);
  console.log('');
  const agentRss = Object.entries(rss).filter(([k]) => k !== 'sim');
  console.log(`${passOrFail(notTerminal.length === 0)} every incident terminal (${waiting.length} of them awaiting approval)`);
  console.log(`${passOrFail(lost.length === 0 && accepted.length === N)} 0 lost`);
  console.log(`${passOrFail(dupAudit.length === 0 && dupCluster.length === 0 && multiple.length === 0)} 0 duplicate writes (and one outcome per incident)`);
  console.log(`${passOrFail(agentRss.every(([, v]) => v < 400))} each agent process < 400 MB RSS (kube-sim ${rss.sim?.toFixed(0)} MB is the test cluster, not the agent)`);
  console.log(`${passOrFail(unexplained.length === 0)} every escalation says why`);
} finally {
  await cluster.stop();
}

/** A multi-document stream for one `kubectl apply -f -`. */
function stream(objects: unknown[]): string {
  return objects.map((o) => JSON.stringify(o)).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`bench:soak: timed out waiting for ${what}`);
    await sleep(1_000);
  }
}
