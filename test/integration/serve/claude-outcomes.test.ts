// The endings that need the model, through the real daemon (`serve`, in-process queue) on kube-sim with the real
// Anthropic SDK against the fake Anthropic server: a workload already healthy ends `no_action`; a job cut short on its
// last attempt fails for good and still ends with exactly one `incident.outcome` (`escalated`, with the error).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';
import type { IncidentOutcome } from '../../../backend/src/domain/outcome.js';
import { FAKE_API_KEY, reply, startFakeAnthropic, type FakeAnthropicServer } from '../../fakes/fake-anthropic-server.js';
import { eventually, kubectlFor } from '../../helpers/kubectl.js';
import { loadFixture, signDelivery } from '../../helpers/sign-pagerduty.js';
import { spawnAgent, type ServeProcess } from '../../helpers/spawn-serve.js';
import { apply, deployment, rolledOut } from '../pipeline/pipeline-harness.js';

const SECRET = 'whsec-claude-outcomes';
let sim: RunningSim;
let fake: FakeAnthropicServer;
let dir: string;
let agent: ServeProcess;
let url: string;

beforeAll(async () => {
  [sim, fake] = await Promise.all([startSim({ speed: 30 }), startFakeAnthropic()]);
  const kubectl = kubectlFor(sim.kubeconfigPath);
  await kubectl.ok(['create', 'namespace', 'shop']);
  await apply(kubectl, deployment('shop', 'api'));
  await rolledOut(kubectl, 'shop', 'api');
  dir = mkdtempSync(join(tmpdir(), 'claude-outcomes-'));
  agent = spawnAgent(
    ['serve'],
    {
      HOST: '127.0.0.1',
      PORT: '0',
      PAGERDUTY_WEBHOOK_SECRETS: SECRET,
      STATE_DIR: join(dir, 'state'),
      AUDIT_JSONL_PATH: join(dir, 'audit.jsonl'),
      KUBECONFIG: sim.kubeconfigPath,
      DOTENV_PATH: join(dir, 'no.env'),
      EXECUTION_MODE: 'yolo',
      ANTHROPIC_API_KEY: FAKE_API_KEY,
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_MAX_RETRIES: '0',
      ANTHROPIC_TIMEOUT_MS: '600000',
      JOB_ATTEMPTS: '1',
      SHUTDOWN_GRACE_MS: '300',
      LOG_LEVEL: 'info',
    },
    dir,
  );
  const line = await agent.waitForLine((l) => String(l.msg ?? '').startsWith('listening on'), 'the agent to listen', 60_000);
  url = `http://127.0.0.1:${String(line.port)}`;
}, 120_000);

afterAll(async () => {
  if (agent && agent.child.exitCode === null) agent.child.kill('SIGKILL');
  await Promise.allSettled([sim?.stop(), fake?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const outcomesOf = (incidentId: string): IncidentOutcome[] => {
  const path = join(dir, 'audit.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent)
    .filter((e) => e.incidentId === incidentId && e.type === 'incident.outcome')
    .map((e) => e.data as unknown as IncidentOutcome);
};

async function page(incidentId: string, title: string): Promise<void> {
  const payload = loadFixture('incident.triggered');
  payload.event.data.id = incidentId;
  payload.event.data.title = title;
  const delivery = signDelivery(payload, [SECRET], `delivery-${incidentId}`);
  const res = await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers });
  expect(res.status).toBe(202);
}

describe('endings that need the model (serve on kube-sim, fake Anthropic)', () => {
  it('no_action: the model finds the workload healthy and proposes nothing; tokens are reported', async () => {
    fake.script([reply.toolUse('propose_remediation', { rootCause: 'shop/api is healthy: 2/2 replicas ready, no restarts', confidence: 0.9, evidence: [{ fact: 'deployment shop/api: 2/2 ready', source: 'get_deployment api' }], escalate: false, alreadyHealthy: true, actions: [] })]);
    await page('PNOACT', 'Latency alert: deployment/api in namespace shop');
    await eventually(() => outcomesOf('PNOACT').length > 0, 60_000, 250);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [o, ...more] = outcomesOf('PNOACT');
    expect(more).toEqual([]);
    expect(o).toMatchObject({ outcome: 'no_action', run: 'triage', analyzer: 'claude', commands: [], reasons: [] });
    expect(o.tokens).toMatchObject({ input: expect.any(Number), output: expect.any(Number) });
    expect(o.timings.toFirstWriteMs).toBeUndefined();
  });

  it('a job that fails for good (cut short at shutdown on its only attempt) ends with one escalated outcome carrying the error', async () => {
    fake.script([reply.hang()]);
    const served = fake.requests.length;
    await page('PFAILED', 'api is unhealthy: deployment/api in namespace shop');
    await eventually(() => fake.requests.length > served, 60_000, 100);
    agent.child.kill('SIGTERM');
    expect((await agent.exited).code).toBe(0);
    const [o, ...more] = outcomesOf('PFAILED');
    expect(more).toEqual([]);
    expect(o).toMatchObject({ outcome: 'escalated', run: 'triage', error: expect.stringMatching(/triage failed with no retry left/) });
    expect(o.reasons[0]).toMatch(/the job failed for good/);
  });
});
