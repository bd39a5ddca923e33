import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { incidentFromAlert } from '../../../backend/src/cli/read-alert-file.js';
import { deploymentManifest, eventually, runKubectl } from '../execute/execute-harness.js';

let sim: RunningSim;
const dir = mkdtempSync(join(tmpdir(), 'plan-cli-'));
const ns = 'checkout';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    KUBECONFIG: sim.kubeconfigPath,
    STATE_DIR: join(dir, 'state'),
    AUDIT_JSONL_PATH: join(dir, 'audit.jsonl'),
    K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
    EXECUTION_MODE: 'yolo', // the plan command must force plan mode whatever the setting
    DOTENV_PATH: join(dir, 'none.env'),
  };
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/oncall-agent.js', ...args], { env, encoding: 'utf8', timeout: 90_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const kubectl = (args: string[], stdin?: string) => runKubectl(sim.kubeconfigPath, args, stdin);

beforeAll(async () => {
  sim = await startSim({ speed: 40, nodes: 2 });
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  await kubectl(['apply', '-f', '-'], deploymentManifest('web', ns, 'nginx:1.25', 2));
  await eventually(async () => evaluateRolloutComplete(JSON.parse(await kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']))).ok, 'the first rollout');
  await kubectl(['apply', '-f', '-'], deploymentManifest('web', ns, 'busybox:1.36', 2, { command: ['sh', '-c', 'exit 1'] }));
  await eventually(async () => {
    const pods = JSON.parse(await kubectl(['get', 'pods', '-n', ns, '-l', 'app=web', '-o', 'json'])) as { items: Array<{ status?: { containerStatuses?: Array<{ state?: { waiting?: { reason?: string } } }> } }> };
    return pods.items.some((p) => (p.status?.containerStatuses ?? []).some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff'));
  }, 'CrashLoopBackOff');
  writeFileSync(
    join(dir, 'alert.json'),
    JSON.stringify({ routing_key: 'x', event_action: 'trigger', dedup_key: 'web-crash-1', payload: { summary: 'web crash-looping in checkout', source: 'alertmanager', severity: 'critical', custom_details: { namespace: ns, deployment: 'web' } } }),
  );
});
afterAll(async () => {
  await sim?.stop();
});

const specOf = async () => {
  const d = JSON.parse(await kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json'])) as { metadata: { generation: number; annotations: Record<string, string> }; spec: unknown };
  const rs = await kubectl(['get', 'replicasets', '-n', ns, '-o', 'name']);
  return { generation: d.metadata.generation, revision: d.metadata.annotations['deployment.kubernetes.io/revision'], spec: d.spec, replicaSets: rs };
};

describe('oncall-agent plan --alert', () => {
  it('--json: diagnoses, scores and dry-runs the rollout undo without changing the deployment', async () => {
    const before = await specOf();
    const result = await cli(['plan', '--alert', join(dir, 'alert.json'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as {
      proposal: { analyzer: string; actions: Array<{ command: string }> };
      commands: Array<{ command: string; level: string; reasons: string[]; decision: { kind: string; mode: string; wouldBe?: string }; dryRun: { ran: boolean; changes?: string[]; command?: string } }>;
    };
    expect(out.proposal.analyzer).toBe('runbook');
    expect(out.proposal.actions[0].command).toBe(`kubectl rollout undo deployment/web -n ${ns}`);
    const [undo] = out.commands;
    expect(undo).toMatchObject({ command: `kubectl rollout undo deployment/web -n ${ns}`, level: 'medium', decision: { kind: 'preview', mode: 'plan' } });
    expect(undo.dryRun.ran).toBe(true);
    expect(undo.dryRun.command).toBe(`kubectl rollout undo deployment/web -n ${ns} -o json --dry-run=server`);
    expect(undo.dryRun.changes?.join('\n')).toMatch(/"busybox:1.36" → "nginx:1.25"/);
    // Nothing executed: same spec, generation, revision and ReplicaSets.
    expect(await specOf()).toEqual(before);
  });

  it('prints the readable preview by default, and a clear error for a bad alert file', async () => {
    const result = await cli(['plan', '--alert', join(dir, 'alert.json')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('PLAN PREVIEW — incident web-crash-1: web crash-looping in checkout');
    expect(result.stdout).toContain(`1. kubectl rollout undo deployment/web -n ${ns}`);
    expect(result.stdout).toMatch(/risk: MEDIUM/);

    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ hello: 'world' }));
    const bad = await cli(['plan', '--alert', join(dir, 'bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/neither a PagerDuty V3 webhook body .* nor an Events v2 payload/);
    const missing = await cli(['plan', '--alert', join(dir, 'missing.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read alert file .*ENOENT/);
  });
});

describe('incidentFromAlert', () => {
  it('reads a PagerDuty V3 webhook body', () => {
    const incident = incidentFromAlert({
      event: { id: 'E1', event_type: 'incident.triggered', resource_type: 'incident', data: { id: 'PGR0VU2', type: 'incident', title: 'deployment/web down', number: 7, urgency: 'high', service: { id: 'PSVC1', summary: 'shop' } } },
    });
    expect(incident).toMatchObject({ id: 'PGR0VU2', title: 'deployment/web down', serviceId: 'PSVC1', number: 7, details: {}, source: 'cli' });
  });
  it('reads an Events v2 payload; a string custom_details is ignored', () => {
    expect(incidentFromAlert({ payload: { summary: 's', custom_details: 'text' } }).details).toEqual({});
    expect(incidentFromAlert({ payload: { summary: 's', custom_details: { pod: 'x' } } }).id).toMatch(/^cli-[0-9a-f]{12}$/);
  });
});
