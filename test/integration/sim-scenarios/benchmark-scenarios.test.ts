// Runs each chaos/scenarios/4N-* setup.sh (plain bash + kubectl, written for a real cluster) against a fresh
// kube-sim and checks that the intended fault shows through the real kubectl: the setup's bounded wait succeeds,
// verify.sh refuses the broken state, and the pod/event evidence names the intended reason. For the "fix"
// scenarios the obvious repair (rollout undo) makes verify.sh pass, so verify is a real check, not a constant.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSim } from '../../../chaos/sim/start-sim.js';
import { startSim } from '../../../chaos/sim/start-sim.js';
import type { Kubectl } from '../../helpers/kubectl.js';
import { kubectlFor } from '../../helpers/kubectl.js';

const ROOT = join(import.meta.dirname, '../../../chaos/scenarios');

interface Evidence {
  /** Regex over "reason<TAB>message" of the namespace's events, or over the pods' status reasons. */
  event?: RegExp;
  podReason?: RegExp;
  /** Text expected in `kubectl logs` of the first pod of the target (container, previous run). */
  log?: { container: string; text: string };
}

// The messages are kube-sim's copies of the real components' texts, each cited in chaos/sim/SEMANTICS.md and the
// unit fidelity tests (test/unit/sim/program-model.test.ts, test/unit/sim-controllers/scheduler-fidelity.test.ts).
const EVIDENCE: Record<string, Evidence> = {
  '40-missing-binary': { podReason: /CrashLoopBackOff|Error/, log: { container: 'api', text: 'sh: 1: python3: not found' } },
  '41-wrong-probe-port': { event: /^Unhealthy\tLiveness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:8080\/": dial tcp 10\.244\.\d+\.\d+:8080: connect: connection refused$/m },
  '42-wrong-probe-path': { event: /^Unhealthy\tReadiness probe failed: HTTP probe failed with statuscode: 404$/m },
  '43-missing-storageclass': {
    event: /^ProvisioningFailed\tstorageclass\.storage\.k8s\.io "chaos-43-fast-ssd" not found$/m,
    podReason: /Unschedulable/,
  },
  '44-gpu-request': { event: /^FailedScheduling\t0\/3 nodes are available: 3 Insufficient nvidia\.com\/gpu\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\.$/m },
  '45-anti-affinity-too-few-nodes': {
    event: /^FailedScheduling\t0\/3 nodes are available: 3 node\(s\) didn't match pod anti-affinity rules\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.$/m,
  },
  '46-memory-hog': { podReason: /OOMKilled/ },
  '47-init-container-typo': { podReason: /CrashLoopBackOff|Error/, log: { container: 'fetch-config', text: 'sh: wge: not found' } },
};

const scenarios = Object.keys(EVIDENCE);

async function script(dir: string, name: string, env: Record<string, string>, timeoutMs = 240_000) {
  return execa('bash', [join(ROOT, dir, name)], { env, extendEnv: true, reject: false, timeout: timeoutMs, all: true });
}

describe.concurrent('benchmark-style scenarios 40-47 reproduce their fault on kube-sim', () => {
  const sims: RunningSim[] = [];
  beforeAll(() => undefined);
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
  });

  it.each(scenarios)('%s', async (dir) => {
    const sim = await startSim({ speed: 10, note: () => undefined });
    sims.push(sim);
    const k: Kubectl = kubectlFor(sim.kubeconfigPath);
    const env = { KUBECONFIG: sim.kubeconfigPath, KUBECACHEDIR: k.cacheDir, HOME: mkdtempSync(join(tmpdir(), 'scenario-home-')), KUBECTL_KUBERC: 'false', CHAOS_VERIFY_TIMEOUT: '3' };
    const expected = JSON.parse(readFileSync(join(ROOT, dir, 'expected.json'), 'utf8')) as { expect: string; namespace: string; target: string };
    const alert = JSON.parse(readFileSync(join(ROOT, dir, 'alert.json'), 'utf8')) as { payload: { custom_details: { namespace: string } } };
    expect(alert.payload.custom_details.namespace).toBe(expected.namespace);

    const setup = await script(dir, 'setup.sh', env);
    expect(setup.exitCode, setup.all).toBe(0);

    const ns = expected.namespace;
    const evidence = EVIDENCE[dir];
    if (evidence.event) {
      const events = await k.ok(['get', 'events', '-n', ns, '-o', 'jsonpath={range .items[*]}{.reason}{"\\t"}{.message}{"\\n"}{end}']);
      expect(events).toMatch(evidence.event);
    }
    const app = expected.target.split('/')[1];
    type PodJson = { metadata: { name: string }; spec: { containers: Array<{ name: string }>; initContainers?: Array<{ name: string }> }; status: unknown };
    const pods = JSON.parse(await k.ok(['get', 'pods', '-n', ns, '-l', `app=${app}`, '-o', 'json'])) as { items: PodJson[] };
    if (evidence.podReason) expect(JSON.stringify(pods.items.map((p) => p.status))).toMatch(evidence.podReason);
    if (evidence.log) {
      const withContainer = pods.items.find((p) => [...p.spec.containers, ...(p.spec.initContainers ?? [])].some((c) => c.name === evidence.log?.container));
      const pod = withContainer?.metadata.name ?? pods.items[0].metadata.name;
      const current = await k.run(['logs', pod, '-n', ns, '-c', evidence.log.container]);
      const previous = await k.run(['logs', pod, '-n', ns, '-c', evidence.log.container, '--previous']);
      expect(`${current.stdout}${previous.stdout}`).toContain(evidence.log.text);
    }

    const broken = await script(dir, 'verify.sh', env, 60_000);
    expect(broken.exitCode, broken.all).not.toBe(0);

    if (expected.expect === 'fix') {
      await k.ok(['rollout', 'undo', expected.target, '-n', ns]);
      const fixed = await script(dir, 'verify.sh', { ...env, CHAOS_VERIFY_TIMEOUT: '60' }, 90_000);
      expect(fixed.exitCode, fixed.all).toBe(0);
    }

    const cleanup = await script(dir, 'cleanup.sh', env, 120_000);
    expect(cleanup.exitCode, cleanup.all).toBe(0);
  }, 300_000);
});
