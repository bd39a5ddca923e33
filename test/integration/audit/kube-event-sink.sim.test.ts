// The Kubernetes Event audit sink against kube-sim, read back with the real kubectl.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { createAuditTrail } from '../../../backend/src/audit/create-audit.js';
import { createEventWriterFromKubeConfig } from '../../../backend/src/cluster/client-node-event-writer.js';
import { createKubeConfig } from '../../../backend/src/cluster/create-kube-config.js';
import { event, expectNoSecrets, secretBearingEvent } from './audit-events.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'oncall-kube-events-'));
let sim: RunningSim;

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { timeout: 30_000 });
  return stdout;
}

/** `kubectl create -f` from a manifest file (JSON on the wire, like any manifest). */
async function createFromManifest(name: string, manifest: object): Promise<void> {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(manifest));
  await kubectl('create', '-f', path);
}

beforeAll(async () => {
  sim = await startSim({ withoutControllers: true });
  await createFromManifest('ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  await createFromManifest('deploy', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    },
  });
});
afterAll(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Kubernetes Event audit sink on kube-sim', () => {
  it('puts AgentRemediation events on the target object, with action and verdict, and no secrets', async () => {
    const uid = (JSON.parse(await kubectl('get', 'deployment', 'web', '-n', 'shop', '-o', 'json')) as { metadata: { uid: string } }).metadata.uid;
    const target = { kind: 'Deployment', apiVersion: 'apps/v1', namespace: 'shop', name: 'web', uid };
    const warnings: unknown[] = [];
    const trail = createAuditTrail(
      { REDIS_KEY_PREFIX: 'oncall:', AUDIT_JSONL_PATH: join(dir, 'audit.jsonl'), AUDIT_STREAM_MAXLEN: 1000, AUDIT_KUBE_EVENTS: true },
      { logger: { warn: (o) => warnings.push(o), error: (o) => warnings.push(o) }, eventWriter: createEventWriterFromKubeConfig(createKubeConfig({ KUBECONFIG: sim.kubeconfigPath })) },
    );
    expect(trail.sinks).toEqual(['jsonl', 'kube-events']);

    await trail.sink.write({ ...secretBearingEvent('INC-K1'), target });
    await trail.sink.write(event({ type: 'verification', incidentId: 'INC-K1', target, data: { verdict: { status: 'verified', detail: 'rollout complete: 1/1 ready' } } }));
    await trail.sink.write(event({ type: 'risk', incidentId: 'INC-K1', target, data: { level: 'medium' } }));
    expect(warnings).toEqual([]);

    const list = JSON.parse(await kubectl('get', 'events', '-n', 'shop', '-o', 'json')) as {
      items: Array<{ reason: string; message: string; type: string; involvedObject: Record<string, string>; source: { component: string } }>;
    };
    const ours = list.items.filter((e) => e.reason === 'AgentRemediation');
    expect(ours).toHaveLength(2);
    for (const e of ours) {
      expect(e.involvedObject).toMatchObject({ kind: 'Deployment', name: 'web', namespace: 'shop', uid });
      expect(e.source.component).toBe('oncall-agent');
    }
    expect(ours.map((e) => e.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('action: kubectl rollout undo deployment/web -n shop'), expect.stringContaining('verdict: verified')]),
    );
    expect(expectNoSecrets(JSON.stringify(list))).toEqual([]);
    expect(expectNoSecrets(readFileSync(join(dir, 'audit.jsonl'), 'utf8'))).toEqual([]);

    const described = await kubectl('describe', 'deployment', 'web', '-n', 'shop');
    expect(described).toMatch(/AgentRemediation/);
  });
});
