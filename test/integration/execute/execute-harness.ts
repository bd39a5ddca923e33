// The execute stage's real dependencies against one kube-sim, from the composition root (createAgent) with the test's
// own adapters: the real kubectl through a runner with a private cache dir, the in-process SafetyStore (or one passed
// in), a JSONL audit file only (no Kubernetes Events) and a captured pino log.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { JsonlAuditSink } from '../../../backend/src/audit/jsonl-sink.js';
import { createKubectlRunner } from '../../../backend/src/cluster/kubectl-runner.js';
import { loadConfig } from '../../../backend/src/config/index.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';
import type { ExecuteDeps } from '../../../backend/src/execute/execute-deps.js';
import { createAgent, type Agent } from '../../../backend/src/app/create-agent.js';
import { createLogger } from '../../../backend/src/observability/logger.js';
import { MemorySafetyStore } from '../../../backend/src/safety/memory-safety-store.js';
import type { SafetyStore } from '../../../backend/src/safety/safety-store.js';

export interface Harness {
  /** The whole agent from the composition root, over the harness's adapters. */
  agent: Agent;
  deps: ExecuteDeps;
  /** Every audit record written so far (read back from the JSONL file). */
  auditEvents(): AuditEvent[];
  /** Everything pino logged, as text. */
  logText(): string;
  /** The real kubectl against the sim, outside the agent (test setup and checks). */
  kubectl(args: string[], stdin?: string): Promise<string>;
}

export function createHarness(kubeconfigPath: string, env: Record<string, string>, options: { safety?: SafetyStore } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'execute-it-'));
  const auditPath = join(dir, 'audit.jsonl');
  const config = loadConfig({ KUBECONFIG: kubeconfigPath, AUDIT_JSONL_PATH: auditPath, STATE_DIR: join(dir, 'state'), VERIFY_POLL_MS: '200', ...env }, join(dir, 'no.env'));
  const logStream = new PassThrough();
  let logged = '';
  logStream.on('data', (chunk: Buffer) => (logged += chunk.toString('utf8')));
  const sink = new JsonlAuditSink(auditPath);
  const agent = createAgent(config, {
    logger: createLogger('info', { destination: logStream }),
    workerId: `test-${process.pid}`,
    adapters: {
      runner: createKubectlRunner({ kubectlPath: config.KUBECTL_PATH, kubeconfig: config.KUBECONFIG, timeoutMs: config.KUBECTL_TIMEOUT_MS, maxOutputBytes: config.KUBECTL_MAX_OUTPUT_BYTES, cacheDir: join(dir, 'kube-cache') }),
      safety: options.safety ?? new MemorySafetyStore(),
      audit: { sink, sinks: ['jsonl'], close: async () => undefined },
    },
  });
  const deps: ExecuteDeps = agent.execute;
  return {
    agent,
    deps,
    auditEvents: () => (existsSync(auditPath) ? readFileSync(auditPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent) : []),
    logText: () => logged,
    kubectl: (args, stdin) => runKubectl(kubeconfigPath, args, stdin),
  };
}

export function runKubectl(kubeconfigPath: string, args: string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', ['--kubeconfig', kubeconfigPath, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
    child.stdin?.end(stdin ?? '');
  });
}

/** Every listable object's "kind/namespace/name → resourceVersion", through the real kubectl. */
export async function snapshotResourceVersions(kubeconfigPath: string): Promise<Record<string, string>> {
  const kinds = (await runKubectl(kubeconfigPath, ['api-resources', '--verbs=list', '-o', 'name'])).split('\n').filter(Boolean);
  const list = JSON.parse(await runKubectl(kubeconfigPath, ['get', kinds.join(','), '-A', '-o', 'json'])) as { items: Array<{ kind: string; metadata: { namespace?: string; name: string; resourceVersion: string } }> };
  const out: Record<string, string> = {};
  for (const item of list.items) out[`${item.kind}/${item.metadata.namespace ?? ''}/${item.metadata.name}`] = item.metadata.resourceVersion;
  return out;
}

export function deploymentManifest(name: string, namespace: string, image: string, replicas = 2, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image, ...extra }] } },
    },
  });
}

/** Polls until check() returns a truthy value; generous deadline, no wall-clock assertions. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
