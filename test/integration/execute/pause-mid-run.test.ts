// `oncall-agent pause` (the real binary, no Redis: the kill-switch file in STATE_DIR) issued while a YOLO run is under
// way stops that run's next write; reads still run; `resume` lets writes through again.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import type { Incident } from '../../../backend/src/domain/incident.js';
import type { KubectlRunner } from '../../../backend/src/domain/ports.js';
import type { RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { executeProposal } from '../../../backend/src/execute/execute-proposal.js';
import { killSwitchFilePath } from '../../../backend/src/safety/create-safety-store.js';
import { MemorySafetyStore } from '../../../backend/src/safety/memory-safety-store.js';
import { evaluateRolloutComplete } from '../../../backend/src/verify/evaluate.js';
import { createHarness, deploymentManifest, eventually, type Harness } from './execute-harness.js';

const bin = fileURLToPath(new URL('../../../bin/oncall-agent.js', import.meta.url));
const stateDir = mkdtempSync(join(tmpdir(), 'pause-mid-run-'));
const ns = 'midrun';
let sim: RunningSim;
let h: Harness;

function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: stateDir, USER: 'oncall', STATE_DIR: stateDir, AUDIT_JSONL_PATH: join(stateDir, 'cli-audit.jsonl'), LOG_LEVEL: 'silent' } }, (error, stdout) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}

beforeAll(async () => {
  sim = await startSim({ speed: 40, nodes: 2 });
  h = createHarness(sim.kubeconfigPath, { EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', TARGET_COOLDOWN_SECONDS: '0', VERIFY_DEADLINE_SECONDS: '60' }, {
    safety: new MemorySafetyStore({ killSwitchFile: killSwitchFilePath(stateDir) }),
  });
  await h.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  await h.kubectl(['apply', '-f', '-'], deploymentManifest('web', ns, 'nginx:1.25', 1));
  await eventually(async () => evaluateRolloutComplete(JSON.parse(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'json']))).ok, 'the first rollout');
});
afterAll(async () => {
  await sim?.stop();
});

const incident = (id: string): Incident => ({ id, title: id, details: {}, source: 'cli' });
const scale = (n: number) => ({ command: `kubectl scale deployment/web -n ${ns} --replicas=${n}`, description: 'scale', confidence: 0.95, expectedEffect: 'replicas', postconditions: [{ type: 'replicasAtLeast' as const, namespace: ns, deployment: 'web', n }] });
const read = { command: `kubectl get deployment web -n ${ns} -o wide`, description: 'look', confidence: 0.95, expectedEffect: 'nothing', postconditions: [] };
const proposal = (id: string, actions: RemediationProposal['actions']): RemediationProposal => ({ incidentId: id, analyzer: 'runbook', rootCause: 'load', confidence: 0.9, evidence: [], escalate: { required: false }, actions });
const replicas = async () => Number(await h.kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.replicas}']));

describe('pause during a running job', () => {
  it('stops the next write of a run already under way, never its reads; resume lets writes run again', async () => {
    // The real runner; the operator runs `oncall-agent pause` right after the run's first write has gone through.
    const real = h.deps.runner;
    let paused = false;
    const runner: KubectlRunner = {
      run: async (args, options) => {
        const result = await real.run(args, options);
        if (!paused && args.includes('scale')) {
          paused = true;
          expect((await cli(['pause', '--reason', 'mid-run'])).code).toBe(0);
        }
        return result;
      },
    };
    const report = await executeProposal({ ...h.deps, runner }, incident('MID-1'), proposal('MID-1', [scale(2), read, scale(3)]));
    expect(report.outcomes.map((o) => o.status)).toEqual(['verified', 'unverifiable', 'refused']);
    expect(report.outcomes[2].detail).toMatch(/kill switch is on/);
    expect(await replicas()).toBe(2);
    expect(h.auditEvents().filter((e) => e.incidentId === 'MID-1' && e.type === 'execution').map((e) => e.data.command)).toEqual([scale(2).command, read.command]);

    expect((await cli(['resume'])).code).toBe(0);
    const after = await executeProposal(h.deps, incident('MID-2'), proposal('MID-2', [scale(3)]));
    expect(after.outcomes.map((o) => o.status)).toEqual(['verified']);
    expect(await replicas()).toBe(3);
  });
});
