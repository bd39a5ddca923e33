// One real daemon (`serve`, BullMQ on a private redis-server) on kube-sim for the dependency-fault tests: signed
// webhooks in, the audit trail read back from the Redis stream (the sink every fault here must keep), broken
// Deployments to fix.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { auditStreamKey } from '../../../backend/src/audit/redis-stream-sink.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';
import type { IncidentOutcome } from '../../../backend/src/domain/outcome.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { startTestRedis } from '../../helpers/redis-server.js';
import { loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';
import { spawnAgent, type ServeProcess } from '../../helpers/spawn-serve.js';
import { apply, deployment, pods, rolledOut, waitingReasons } from '../pipeline/pipeline-harness.js';

const SECRET = 'whsec-dependency-faults';
const PREFIX = 'faults:';

export interface FaultDaemon {
  sim: RunningSim;
  kubectl: Kubectl;
  agent: ServeProcess;
  url: string;
  dir: string;
  /** The daemon's environment (for a CLI run against the same Redis and state). */
  env: Record<string, string>;
  /** This incident's audit records from the Redis stream, in stream order. */
  trail(incidentId: string): Promise<AuditEvent[]>;
  outcomes(incidentId: string): Promise<IncidentOutcome[]>;
  /** Sends a signed incident.triggered (answered 202). */
  page(incidentId: string, title: string): Promise<void>;
  /** Waits until the incident has an outcome, then a little longer, and returns all of them (exactly one expected). */
  settled(incidentId: string): Promise<IncidentOutcome[]>;
  stop(): Promise<void>;
}

export async function startFaultDaemon(extraEnv: (dir: string) => Record<string, string>): Promise<FaultDaemon> {
  const [sim, redis] = await Promise.all([startSim({ speed: 30, nodes: 2 }), startTestRedis()]);
  const kubectl = kubectlFor(sim.kubeconfigPath);
  const dir = mkdtempSync(join(tmpdir(), 'dependency-faults-'));
  const client = createRedis(redis.url, 'command');
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: PREFIX,
    HOST: '127.0.0.1',
    PORT: '0',
    PAGERDUTY_WEBHOOK_SECRETS: SECRET,
    STATE_DIR: join(dir, 'state'),
    AUDIT_JSONL_PATH: join(dir, 'audit.jsonl'),
    KUBECONFIG: sim.kubeconfigPath,
    DOTENV_PATH: join(dir, 'no.env'),
    EXECUTION_MODE: 'yolo',
    ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'true', // rollout undo is medium risk
    VERIFY_DEADLINE_SECONDS: '20',
    VERIFY_POLL_MS: '200',
    NO_CRASHLOOP_WINDOW_SECONDS: '2',
    TARGET_COOLDOWN_SECONDS: '0',
    SHUTDOWN_GRACE_MS: '2000',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    ...extraEnv(dir),
  };
  const agent = spawnAgent(['serve'], env, dir);
  const line = await agent.waitForLine((l) => String(l.msg ?? '').startsWith('listening on'), 'the agent to listen', 60_000);
  const url = `http://127.0.0.1:${String(line.port)}`;

  const trail = async (incidentId: string): Promise<AuditEvent[]> => {
    const entries = await client.xrange(auditStreamKey(PREFIX), '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1]) as AuditEvent).filter((e) => e.incidentId === incidentId);
  };
  const outcomes = async (incidentId: string): Promise<IncidentOutcome[]> =>
    (await trail(incidentId)).filter((e) => e.type === 'incident.outcome').map((e) => e.data as unknown as IncidentOutcome);
  return {
    sim,
    kubectl,
    agent,
    url,
    dir,
    env,
    trail,
    outcomes,
    async page(incidentId, title) {
      const payload = loadFixture('incident.triggered');
      payload.event.data.id = incidentId;
      payload.event.data.title = title;
      const delivery = signDelivery(payload, [SECRET], `delivery-${incidentId}`);
      const res = await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers });
      expect(res.status).toBe(202);
    },
    async settled(incidentId) {
      await eventually(async () => (await outcomes(incidentId)).length > 0, 150_000, 250);
      await new Promise((resolve) => setTimeout(resolve, 500)); // nothing more arrives for this run
      return outcomes(incidentId);
    },
    async stop() {
      if (agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill('SIGTERM');
      await Promise.race([agent.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill('SIGKILL');
      client.disconnect();
      await Promise.allSettled([sim.stop(), redis.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Deployment in its own namespace whose last rollout set an image that does not exist. With `healthyFirst` (the
 * default) it had a healthy revision to roll back to (the runbook fixes it); without, it never had one (escalates).
 */
export async function brokenDeployment(kubectl: Kubectl, ns: string, options: { healthyFirst?: boolean } = {}): Promise<void> {
  await kubectl.ok(['create', 'namespace', ns]);
  if (options.healthyFirst === false) {
    await apply(kubectl, deployment(ns, 'web', { image: 'nginx:does-not-exist' }));
  } else {
    await apply(kubectl, deployment(ns, 'web'));
    await rolledOut(kubectl, ns, 'web');
    await kubectl.ok(['set', 'image', 'deployment/web', '-n', ns, 'app=nginx:does-not-exist']);
  }
  await eventually(async () => (await pods(kubectl, ns, 'app=web')).some((p) => waitingReasons(p).some((r) => /ImagePull/.test(r))), 30_000);
}

export const imageOf = (kubectl: Kubectl, ns: string): Promise<string> =>
  kubectl.ok(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);

/** Every execution record of the trail, at most once per action index: no write ran twice. */
export function expectNoWriteTwice(trail: AuditEvent[]): void {
  const indexes = trail.filter((e) => e.type === 'execution').map((e) => String(e.data.index ?? e.data.command));
  expect(new Set(indexes).size).toBe(indexes.length);
}

/** The story in order: received first, the proposal before any decision or write, the outcome last and once. */
export function expectStoryInOrder(trail: AuditEvent[]): void {
  const types: string[] = trail.map((e) => e.type);
  expect(types[0]).toBe('incident.received');
  expect(types.at(-1)).toBe('incident.outcome');
  expect(types.filter((t) => t === 'incident.outcome')).toHaveLength(1);
  const proposal = types.indexOf('proposal');
  expect(proposal).toBeGreaterThan(0);
  for (const later of ['decision', 'execution', 'verification']) {
    const at = types.indexOf(later);
    if (at >= 0) expect(at).toBeGreaterThan(proposal);
  }
}
