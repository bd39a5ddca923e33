// The whole audit trail of YOLO, approval, plan and refused runs, written through the real factory (JSONL + Redis
// stream + Kubernetes Events) on kube-sim: every stage has a record with the incident id, the JSONL file and the stream
// hold the same records, and no secret from the pod spec, a Secret or kubectl output reaches any sink or the logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { createAuditReader, createAuditTrail, type AuditTrail } from '../../../backend/src/audit/create-audit.js';
import type { AuditReader } from '../../../backend/src/audit/audit-reader.js';
import { createEventWriterFromKubeConfig } from '../../../backend/src/cluster/client-node-event-writer.js';
import { createKubeConfig } from '../../../backend/src/cluster/create-kube-config.js';
import type { Config } from '../../../backend/src/config/load-config.js';
import type { Incident } from '../../../backend/src/domain/incident.js';
import type { Postcondition, RemediationProposal } from '../../../backend/src/domain/proposal.js';
import type { ExecuteDeps } from '../../../backend/src/execute/execute-deps.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import type { StageRun } from '../../../backend/src/pipeline/pipeline-deps.js';
import { triageIncident } from '../../../backend/src/pipeline/triage-incident.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { createHarness, deploymentManifest, eventually, type Harness } from './execute-harness.js';

const ns = 'audit-all';
const SECRETS = ['hunter2-s3cr3t-value', 'c3VwZXJzZWNyZXQ=', 'supersecret', 'tok-9f8e7d6c5b4a'];
let sim: RunningSim;
let redis: TestRedis;
let h: Harness;
let trail: AuditTrail;
let reader: AuditReader;
let deps: ExecuteDeps;

beforeAll(async () => {
  sim = await startSim({ speed: 40, nodes: 2 });
  redis = await startTestRedis();
  h = createHarness(sim.kubeconfigPath, {
    EXECUTION_MODE: 'yolo',
    K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
    TARGET_COOLDOWN_SECONDS: '0',
    VERIFY_DEADLINE_SECONDS: '3',
    BREAKER_FAILURE_THRESHOLD: '1',
  });
  // The harness loaded a whole Config (loadConfig); ExecuteDeps only types the part the execute stage reads.
  const config = { ...(h.deps.config as unknown as Config), REDIS_URL: redis.url, AUDIT_KUBE_EVENTS: true };
  trail = createAuditTrail(config, { logger: h.deps.logger, eventWriter: createEventWriterFromKubeConfig(createKubeConfig({ KUBECONFIG: sim.kubeconfigPath })) });
  reader = createAuditReader(config);
  deps = { ...h.deps, audit: trail.sink };
  await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: ns }, data: { password: SECRETS[1] } }));
  const env = [
    { name: 'DB_PASSWORD', value: SECRETS[0] },
    { name: 'API_TOKEN', value: SECRETS[3] },
  ];
  await h.kubectl(['apply', '-f', '-'], deploymentManifest('web', ns, 'nginx:1.25', 1, { env }));
  await eventually(async () => evaluateRolloutComplete(JSON.parse(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']))).ok, 'the first rollout');
}, 120_000);
afterAll(async () => {
  await reader?.close();
  await trail?.close();
  await redis?.close();
  await sim?.stop();
});

const incident = (id: string): Incident => ({ id, title: `web is down (postgres://admin:${SECRETS[2]}@db:5432/app)`, details: { token: SECRETS[3] }, source: 'cli' });
function proposal(id: string, actions: Array<{ command: string; confidence: number; postconditions?: Postcondition[] }>): RemediationProposal {
  return {
    incidentId: id,
    analyzer: 'runbook',
    rootCause: 'bad image',
    confidence: 0.9,
    evidence: [],
    escalate: { required: false },
    target: { kind: 'Deployment', namespace: ns, name: 'web' },
    actions: actions.map((a) => ({ description: 'step', expectedEffect: 'better', postconditions: [], ...a })),
  } as RemediationProposal;
}
const rollout: Postcondition[] = [{ type: 'rolloutComplete', namespace: ns, deployment: 'web' }];
const pipelineDeps = (p: RemediationProposal, mode?: ExecuteDeps['config']['EXECUTION_MODE']) => ({
  audit: trail.sink,
  diagnose: async () => p,
  execute: (inc: Incident, prop: RemediationProposal, run: StageRun) => executeProposal({ ...deps, audit: run.audit, ...(mode ? { config: { ...deps.config, EXECUTION_MODE: mode } } : {}) }, inc, prop),
});

describe('audit trail completeness', () => {
  it('YOLO, breaker, approval, plan and refused runs: every stage audited with its incident, sinks agree, no secret anywhere', async () => {
    // YOLO: a read that prints the pod spec, a write whose verification fails → rollback → breaker opens → escalation.
    const yolo = proposal('AUD-YOLO', [
      { command: `kubectl get deployment web -n ${ns} -o yaml`, confidence: 0.95 },
      { command: `kubectl get secret db -n ${ns} -o json`, confidence: 0.95 },
      { command: `kubectl set image deployment/web app=nginx:does-not-exist -n ${ns}`, confidence: 0.95, postconditions: rollout },
    ]);
    await triageIncident(incident('AUD-YOLO'), pipelineDeps(yolo), h.deps.logger, new AbortController().signal);
    // Breaker open now: the same write goes to approval.
    // A model that puts a credential into a command (it never sees one, but model text is untrusted): waits for a human.
    const setEnv = `kubectl set env deployment/web -n ${ns} DB_PASSWORD=${SECRETS[0]}`;
    await triageIncident(incident('AUD-APPR'), pipelineDeps(proposal('AUD-APPR', [{ command: setEnv, confidence: 0.95 }])), h.deps.logger, new AbortController().signal);
    await triageIncident(incident('AUD-PLAN'), pipelineDeps(proposal('AUD-PLAN', [{ command: `kubectl scale deployment/web -n ${ns} --replicas=2`, confidence: 0.95 }]), 'plan'), h.deps.logger, new AbortController().signal);
    await triageIncident(incident('AUD-REFUSE'), pipelineDeps(proposal('AUD-REFUSE', [{ command: `kubectl --token=${SECRETS[3]} delete namespace ${ns}`, confidence: 0.99 }])), h.deps.logger, new AbortController().signal);

    const fromStream = await reader.read({});
    const fromFile = h.auditEvents();
    // The JSONL file and the stream carry the same records, in the same order.
    expect(fromStream.length).toBeGreaterThan(10);
    expect(fromStream).toEqual(fromFile);

    const typesOf = (id: string) => new Set(fromFile.filter((e) => e.incidentId === id).map((e) => e.type));
    expect([...typesOf('AUD-YOLO')]).toEqual(
      expect.arrayContaining(['incident.received', 'proposal', 'risk', 'decision', 'execution', 'verification', 'rollback', 'breaker.transition', 'escalation']),
    );
    expect([...typesOf('AUD-APPR')]).toEqual(expect.arrayContaining(['incident.received', 'proposal', 'risk', 'decision', 'approval.requested']));
    expect([...typesOf('AUD-PLAN')]).toEqual(expect.arrayContaining(['incident.received', 'proposal', 'risk', 'decision', 'plan.preview']));
    expect([...typesOf('AUD-REFUSE')]).toEqual(expect.arrayContaining(['incident.received', 'proposal', 'risk', 'decision', 'execution.refused', 'escalation']));
    // Every record of these runs names its incident.
    expect(fromFile.filter((e) => e.type !== 'incident.lifecycle').every((e) => typeof e.incidentId === 'string' && e.incidentId.startsWith('AUD-'))).toBe(true);
    // The audit CLI's filters: by incident, and by type.
    expect((await reader.read({ incidentId: 'AUD-PLAN' })).every((e) => e.incidentId === 'AUD-PLAN')).toBe(true);
    expect((await reader.read({ types: ['breaker.transition'] })).map((e) => e.data.to)).toEqual(['open']);

    const events = await h.kubectl(['get', 'events', '-n', ns, '-o', 'json']);
    expect(events).toMatch(/AgentRemediation/);
    const everywhere = { stream: JSON.stringify(fromStream), file: JSON.stringify(fromFile), events, logs: h.logText() };
    for (const [where, text] of Object.entries(everywhere)) {
      for (const secret of SECRETS) expect(text.includes(secret), `${secret} in ${where}: ${text.split("\n").filter((l) => l.includes(secret)).join("\n").slice(0, 1500)}`).toBe(false);
    }
  }, 180_000);
});
