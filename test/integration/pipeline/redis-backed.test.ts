// The pipeline as production wires it with REDIS_URL: the safety state (breaker, idempotency, approvals) in Redis and
// the audit trail in the Redis stream as well as the JSONL file; two pipelines (two workers) share both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { createAuditReader } from '../../../backend/src/audit/create-audit.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { allRunningReady, createPipeline, incident, scaledToZeroBehindService, types, type Pipeline } from './pipeline-harness.js';

let sim: RunningSim;
let redis: TestRedis;
let kubectl: Kubectl;
const opened: Pipeline[] = [];

beforeAll(async () => {
  [sim, redis] = await Promise.all([startSim({ speed: 30, nodes: 2 }), startTestRedis()]);
  kubectl = kubectlFor(sim.kubeconfigPath);
});
afterAll(async () => {
  for (const p of opened) await p.close();
  await sim?.stop();
  await redis?.close();
});

describe('pipeline with REDIS_URL', () => {
  it('fixes the cluster, writes the trail to the stream, and a second worker retrying the job does not write again', async () => {
    await kubectl.ok(['create', 'namespace', 'shop']);
    await scaledToZeroBehindService(kubectl, 'shop', 'web', 2);

    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'e2e:', TARGET_COOLDOWN_SECONDS: '' };
    const first = createPipeline(sim.kubeconfigPath, env);
    const second = createPipeline(sim.kubeconfigPath, env);
    opened.push(first, second);
    const inc = incident('service/web has no endpoints', { namespace: 'shop' });
    const { report } = await first.run(inc);
    expect(report.outcomes.map((o) => [o.command, o.status])).toEqual([['kubectl scale deployment/web -n shop --replicas=2', 'verified']]);
    expect(await allRunningReady(kubectl, 'shop', 'app=web', 2)).toBe(true);

    const reader = createAuditReader(first.config);
    try {
      const streamed = await reader.read({ incidentId: inc.id });
      expect(types(streamed)).toEqual(types(first.audit(inc.id)));
      expect(types(streamed)).toEqual(expect.arrayContaining(['incident.received', 'proposal', 'risk', 'decision', 'execution', 'verification']));
    } finally {
      await reader.close();
    }

    // The same job on another worker (a queue retry): the shared store knows the write happened.
    const again = await second.run(inc);
    expect(again.report.outcomes.filter((o) => o.status === 'verified' || o.status === 'failed')).toEqual([]);
    expect(second.audit(inc.id).filter((e) => e.type === 'execution')).toEqual([]);
    expect(again.report.escalationReasons.join(' ')).toMatch(/earlier attempt of this job already ran a write/);
  });
});
