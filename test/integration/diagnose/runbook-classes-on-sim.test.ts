// The failure classes of the offline analyzer, broken for real with kubectl on kube-sim (scheduler, controllers and
// kubelets running) and diagnosed through diagnoseIncident. Where a fix is proposed, the test runs exactly that
// command (parsed by the risk scorer into argv, as the executor does) and checks the workload serves again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseIncident } from '../../../backend/src/diagnose/index.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';
import { argvFor, assessCommand, DEFAULT_PROTECTED_NAMESPACES } from '../../../backend/src/risk/index.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { baseDeps, incident, startHarness, type Harness } from './diagnose-harness.js';

let h: Harness;
let kubectl: Kubectl;

beforeAll(async () => {
  h = await startHarness({ withoutControllers: false, nodes: 2, speed: 20 });
  kubectl = kubectlFor(h.sim.kubeconfigPath);
});
afterAll(async () => {
  await h?.stop();
});

const POLICY = { protectedNamespaces: [...DEFAULT_PROTECTED_NAMESPACES], denyList: [] };

function container(o: { image?: string; command?: string[]; ports?: number[] } = {}) {
  return {
    name: 'app',
    image: o.image ?? 'nginx:1.25',
    ...(o.command ? { command: o.command } : {}),
    ...(o.ports ? { ports: o.ports.map((containerPort) => ({ containerPort })) } : {}),
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
  };
}

function deployment(ns: string, name: string, spec: Record<string, unknown> = {}, replicas = 2, labels: Record<string, string> = { app: name }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container()], ...spec } } },
  };
}

async function apply(ns: string, ...objects: unknown[]): Promise<void> {
  if ((await kubectl.run(['get', 'namespace', ns])).exitCode !== 0) await kubectl.ok(['create', 'namespace', ns]);
  for (const object of objects) await kubectl.ok(['apply', '-f', '-'], { input: JSON.stringify(object) });
}

const pods = (ns: string, selector: string): Promise<KubeObject[]> => h.reader.list('Pod', ns, { labelSelector: selector });
const ready = (p: KubeObject) => ((p.status?.conditions ?? []) as Array<{ type: string; status: string }>).some((c) => c.type === 'Ready' && c.status === 'True');
const deps = () => baseDeps(h.reader);

/** Runs the proposed command the way the executor does: parsed and scored, then argv (never a shell). */
async function runProposed(command: string): Promise<void> {
  const assessment = assessCommand(command, POLICY);
  expect(assessment.level).not.toBe('forbidden');
  await kubectl.ok(argvFor(assessment));
}

describe('runbook failure classes on kube-sim', () => {
  it('scheduling: a nodeSelector matching no node → names the label; the approved removal schedules the pods', async () => {
    await apply('sel', deployment('sel', 'web', { nodeSelector: { disktype: 'nvme' } }));
    await eventually(async () => (await pods('sel', 'app=web')).some((p) => p.status?.phase === 'Pending'), 30_000);
    const p = await diagnoseIncident(incident('KubeDeploymentReplicasMismatch', { namespace: 'sel', deployment: 'web' }), deps());
    expect(p.rootCause).toMatch(/nodeSelector disktype=nvme matches no node/);
    expect(p.actions).toHaveLength(1);
    expect(p.actions[0].confidence).toBeLessThan(0.8);
    await runProposed(p.actions[0].command);
    await eventually(async () => (await pods('sel', 'app=web')).filter(ready).length >= 2, 60_000);
  });

  it('admission: a ResourceQuota refusing the third pod → names the quota, used and hard; no action', async () => {
    await apply('quota', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pod-quota', namespace: 'quota' }, spec: { hard: { pods: '2' } } });
    await apply('quota', deployment('quota', 'api', {}, 3));
    await eventually(async () => (await h.reader.list('Event', 'quota')).some((e) => e.reason === 'FailedCreate'), 30_000);
    const p = await diagnoseIncident(incident('KubeDeploymentReplicasMismatch', { namespace: 'quota', deployment: 'api' }), deps());
    expect(p.rootCause).toMatch(/ResourceQuota pod-quota/);
    expect(p.rootCause).toMatch(/limited|hard limit pods=2/);
    expect(p.actions).toEqual([]);
  });

  it('services: a selector matching no pod beside the same-named Deployment → the approved re-point gives endpoints', async () => {
    await apply('svc', deployment('svc', 'shop', { containers: [container({ ports: [80] })] }, 1, { app: 'shop' }));
    await apply('svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop', namespace: 'svc' }, spec: { selector: { app: 'shop-v2' }, ports: [{ port: 80, targetPort: 80 }] } });
    await eventually(async () => (await pods('svc', 'app=shop')).some(ready), 60_000);
    const p = await diagnoseIncident(incident('service shop has no endpoints', { namespace: 'svc', service: 'shop' }), deps());
    expect(p.rootCause).toMatch(/Service shop selects app=shop-v2, which matches no pod/);
    expect(p.actions.map((a) => a.command)).toEqual([`kubectl patch service shop -n svc --type=merge -p '{"spec":{"selector":{"app":"shop"}}}'`]);
    await runProposed(p.actions[0].command);
    await eventually(async () => {
      const ep = await h.reader.get('Endpoints', 'svc', 'shop');
      return ((ep?.subsets ?? []) as Array<{ addresses?: unknown[] }>).some((s) => (s.addresses?.length ?? 0) > 0);
    }, 30_000);
  });

  it('init containers: exit 127 in an init container → names it and the meaning', async () => {
    await apply('init', deployment('init', 'app', { initContainers: [{ name: 'migrate', image: 'busybox:1.36', command: ['sh', '-c', 'exit 127'] }] }, 1));
    await eventually(async () => (await pods('init', 'app=app')).some((p) => ((p.status?.initContainerStatuses ?? []) as Array<{ restartCount?: number }>).some((s) => (s.restartCount ?? 0) > 0)), 60_000);
    const p = await diagnoseIncident(incident('KubePodNotReady', { namespace: 'init', deployment: 'app' }), deps());
    expect(p.rootCause).toMatch(/init container migrate of deployment app fails with exit code 127 \(command not found/);
    expect(p.actions).toEqual([]);
  });

  it('configuration: a missing Secret → names it and the similarly named Secret (names only, never its data)', async () => {
    await apply('cfg', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials', namespace: 'cfg' }, stringData: { password: 'hunter2-secret-value' } });
    const env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credential', key: 'password' } } }];
    await apply('cfg', deployment('cfg', 'api', { containers: [{ ...container(), env }] }, 1));
    await eventually(async () => (await pods('cfg', 'app=api')).some((p) => ((p.status?.containerStatuses ?? []) as Array<{ state?: { waiting?: { reason?: string } } }>).some((s) => s.state?.waiting?.reason === 'CreateContainerConfigError')), 60_000);
    const p = await diagnoseIncident(incident('KubePodNotReady', { namespace: 'cfg', deployment: 'api' }), deps());
    expect(p.rootCause).toMatch(/Secret db-credential does not exist in cfg/);
    expect(p.evidence.map((e) => e.fact)).toContain('similarly named Secrets: db-credentials (names only; the agent never reads Secret data)');
    expect(JSON.stringify(p)).not.toMatch(/hunter2|aHVudGVyMi1zZWNyZXQtdmFsdWU/);
    expect(p.actions).toEqual([]);
  });

  it('jobs: a Job past its backoffLimit → the limit and its pods\' exit codes', async () => {
    await apply('jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'nightly', namespace: 'jobs' },
      spec: { backoffLimit: 1, template: { metadata: { labels: { job: 'nightly' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'task', image: 'busybox:1.36', command: ['sh', '-c', 'exit 2'] }] } } },
    });
    await eventually(async () => ((await h.reader.get('Job', 'jobs', 'nightly'))?.status?.conditions ?? []).some((c: { type: string }) => c.type === 'Failed'), 90_000);
    const [pod] = await pods('jobs', 'job=nightly');
    const p = await diagnoseIncident(incident('KubeJobFailed', { namespace: 'jobs', pod: pod.metadata.name }), deps());
    expect(p.rootCause).toMatch(/job nightly failed: BackoffLimitExceeded \(backoffLimit 1/);
    expect(p.rootCause).toMatch(/exit with code 2/);
    expect(p.actions).toEqual([]);
  });

  it('crashes: an OOMKilled bare Pod → says it is OOMKilled and what a human must recreate', async () => {
    await apply('bare', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'worker', namespace: 'bare', labels: { app: 'worker' }, annotations: { 'sim.oncall-agent.dev/memory-mi.app': '512' } },
      spec: { containers: [container({ image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] })] },
    });
    await eventually(async () => JSON.stringify((await pods('bare', 'app=worker'))[0]?.status ?? {}).includes('OOMKilled'), 60_000);
    const p = await diagnoseIncident(incident('Pod bare/worker is crash looping'), deps());
    expect(p.target).toMatchObject({ kind: 'Pod', name: 'worker' });
    expect(p.rootCause).toMatch(/container app of pod worker is OOMKilled/);
    expect(p.escalate.reason).toMatch(/recreate pod worker/);
    expect(p.actions).toEqual([]);
  });

  // Last: it stops a node's kubelet.
  it('nodes: a node whose kubelet stopped → unreachable, with the pods on it', async () => {
    await apply('nodes', deployment('nodes', 'spread', {}, 4));
    await eventually(async () => (await pods('nodes', 'app=spread')).filter(ready).length >= 4, 60_000);
    const victim = (await pods('nodes', 'app=spread'))[0].spec?.nodeName as string;
    await kubectl.ok(['annotate', 'node', victim, 'sim.oncall-agent.dev/heartbeat=stop', '--overwrite']);
    await eventually(async () => {
      const node = await h.reader.get('Node', undefined, victim);
      return ((node?.status?.conditions ?? []) as Array<{ type: string; status: string }>).some((c) => c.type === 'Ready' && c.status !== 'True');
    }, 90_000);
    const p = await diagnoseIncident(incident('KubeNodeNotReady', { node: victim }), deps());
    expect(p.target).toMatchObject({ kind: 'Node', name: victim });
    expect(p.rootCause).toMatch(new RegExp(`node ${victim} is (unreachable|NotReady)`));
    expect(p.rootCause).toMatch(/[1-9]\d* pod\(s\) on it are affected: .*nodes\/spread-/);
    expect(p.actions).toEqual([]);
  }, 120_000);
});
