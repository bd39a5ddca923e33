// More failure modes broken with the real kubectl on kube-sim (controllers and kubelets running), diagnosed through
// the pipeline's entry (diagnoseIncident) from alerts shaped as Alertmanager sends them: what the proposal says and
// does must match what is actually broken, and whatever the runbook does not own it escalates, acting on nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseIncident } from '../../../backend/src/diagnose/index.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';
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

interface PodTemplateOptions {
  image?: string;
  command?: string[];
  annotations?: Record<string, string>;
  cpu?: string;
  extra?: Record<string, unknown>;
  volumes?: unknown[];
}

function template(app: string, o: PodTemplateOptions = {}) {
  return {
    metadata: { labels: { app }, annotations: o.annotations },
    spec: {
      containers: [
        {
          name: 'app',
          image: o.image ?? 'nginx:1.25',
          ...(o.command ? { command: o.command } : {}),
          resources: { requests: { cpu: o.cpu ?? '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
          ...o.extra,
        },
      ],
      ...(o.volumes ? { volumes: o.volumes } : {}),
    },
  };
}

function workload(kind: 'Deployment' | 'StatefulSet' | 'DaemonSet', ns: string, name: string, o: PodTemplateOptions = {}) {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: ns },
    spec: {
      ...(kind === 'DaemonSet' ? {} : { replicas: 2 }),
      ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
      selector: { matchLabels: { app: name } },
      template: template(name, o),
    },
  };
}

async function apply(ns: string, ...objects: unknown[]): Promise<void> {
  if ((await kubectl.run(['get', 'namespace', ns])).exitCode !== 0) await kubectl.ok(['create', 'namespace', ns]);
  for (const object of objects) await kubectl.ok(['apply', '-f', '-'], { input: JSON.stringify(object) });
}

const pods = (ns: string, app: string): Promise<KubeObject[]> => h.reader.list('Pod', ns, { labelSelector: `app=${app}` });
const statuses = (p: KubeObject) => (p.status?.containerStatuses ?? []) as Array<{ restartCount?: number; state?: Record<string, { reason?: string }> }>;
const waiting = (p: KubeObject): string[] => statuses(p).map((s) => s.state?.waiting?.reason ?? '');
const restarted = (p: KubeObject): boolean => statuses(p).some((s) => (s.restartCount ?? 0) > 0);
const rolledOut = (ns: string, name: string) => kubectl.ok(['rollout', 'status', `deployment/${name}`, '-n', ns, '--timeout=90s'], { timeoutMs: 100_000 });
const deps = () => baseDeps(h.reader);
/** Alertmanager's PagerDuty receiver: the labels only inside custom_details.firing. */
const firing = (labels: Record<string, string>) => ({ firing: `Labels:\n${Object.entries(labels).map(([k, v]) => ` - ${k} = ${v}`).join('\n')}\nAnnotations:\n - summary = x\n`, num_firing: '1' });
const newestPod = async (ns: string, app: string, image: string) => (await pods(ns, app)).find((p) => JSON.stringify(p.spec).includes(image) && restarted(p));

describe('runbook scenarios on kube-sim', () => {
  it('liveness probe failing after a healthy revision → rollout undo with noCrashLoop, target from a pod label', async () => {
    await apply('live', workload('Deployment', 'live', 'web'));
    await rolledOut('live', 'web');
    await apply(
      'live',
      workload('Deployment', 'live', 'web', {
        image: 'nginx:1.26',
        annotations: { 'sim.oncall-agent.dev/probe-fail.app': 'liveness' },
        extra: { livenessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 2, failureThreshold: 1 } },
      }),
    );
    const pod = await eventually(() => newestPod('live', 'web', 'nginx:1.26'), 90_000);
    const p = await diagnoseIncident(incident('[FIRING:1] KubePodCrashLooping', firing({ alertname: 'KubePodCrashLooping', namespace: 'live', pod: pod.metadata.name!, container: 'app' })), deps());
    expect(p.target).toMatchObject({ kind: 'Deployment', namespace: 'live', name: 'web' });
    expect(p.actions.map((a) => a.command)).toEqual(['kubectl rollout undo deployment/web -n live']);
    expect(p.actions[0].postconditions.map((c) => c.type)).toEqual(['rolloutComplete', 'noCrashLoop']);
  });

  it.each<[string, string, PodTemplateOptions]>([
    ['sh -c "exit 1"', 'loop', { command: ['sh', '-c', 'exit 1'] }],
    // A container that exits 0 under restartPolicy Always: "Completed", then CrashLoopBackOff.
    ['exit code 0 (Completed)', 'loop0', { annotations: { 'sim.oncall-agent.dev/exit-code.app': '0' } }],
  ])('a crash loop (%s) gives the same diagnosis whenever the snapshot is taken (running, back-off, terminated)', async (_name, ns, broken) => {
    await apply(ns, workload('Deployment', ns, 'api'));
    await rolledOut(ns, 'api');
    await apply(ns, workload('Deployment', ns, 'api', { image: 'busybox:1.36', ...broken }));
    await eventually(() => newestPod(ns, 'api', 'busybox:1.36'), 90_000);
    // Diagnose again and again across the restarts until snapshots caught the container both running between
    // back-offs and waiting in CrashLoopBackOff (bounded by a generous deadline, not by a timing assumption).
    const seen = new Set<string>();
    const verdicts = new Set<string>();
    const deadline = Date.now() + 60_000;
    for (let i = 0; i < 6 || (Date.now() < deadline && !(seen.has('running') && seen.has('waiting'))); i++) {
      const before = await pods(ns, 'api');
      const p = await diagnoseIncident(incident('KubeDeploymentReplicasMismatch', { namespace: ns, deployment: 'api' }), deps());
      for (const pod of before.filter((x) => JSON.stringify(x.spec).includes('busybox'))) for (const s of statuses(pod)) seen.add(Object.keys(s.state ?? {}).join());
      verdicts.add(JSON.stringify({ escalate: p.escalate.required, confidence: p.confidence, commands: p.actions.map((a) => a.command), post: p.actions.map((a) => a.postconditions.map((c) => c.type)) }));
    }
    expect([...verdicts]).toEqual([JSON.stringify({ escalate: false, confidence: 0.9, commands: [`kubectl rollout undo deployment/api -n ${ns}`], post: [['rolloutComplete', 'noCrashLoop']] })]);
    expect(seen).toContain('running');
    expect(seen).toContain('waiting');
  });

  it('a Secret missing from a volume (FailedMount, stuck ContainerCreating) → escalate with that evidence', async () => {
    await apply('vol', workload('Deployment', 'vol', 'web', { volumes: [{ name: 'creds', secret: { secretName: 'web-creds' } }], extra: { volumeMounts: [{ name: 'creds', mountPath: '/creds' }] } }));
    await eventually(async () => (await h.reader.list('Event', 'vol', { fieldSelector: 'reason=FailedMount' })).length > 0, 60_000);
    const p = await diagnoseIncident(incident('KubeDeploymentReplicasMismatch', { namespace: 'vol', deployment: 'web' }), deps());
    expect(p.escalate.required).toBe(true);
    expect(p.actions).toEqual([]);
    expect(p.rootCause).toMatch(/FailedMount/);
    expect(JSON.stringify(p.evidence)).toMatch(/secret \\"web-creds\\" not found/);
  });

  it('a Secret key missing from env (CreateContainerConfigError) → escalate naming the secret', async () => {
    await apply('env', workload('Deployment', 'env', 'web', { extra: { env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-pass', key: 'password' } } }] } }));
    await eventually(async () => (await pods('env', 'web')).some((p) => waiting(p).includes('CreateContainerConfigError')), 60_000);
    const p = await diagnoseIncident(incident('KubeContainerWaiting: pod/web in namespace env', { namespace: 'env', deployment: 'web' }), deps());
    expect(p.escalate.required).toBe(true);
    expect(p.actions).toEqual([]);
    expect(JSON.stringify(p.evidence)).toMatch(/secret \\"db-pass\\" not found/);
  });

  it('a readiness probe failing on the first revision → escalate with the probe failure, no action', async () => {
    await apply(
      'ready1',
      workload('Deployment', 'ready1', 'web', {
        annotations: { 'sim.oncall-agent.dev/probe-fail.app': 'readiness' },
        extra: { readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 2, failureThreshold: 1 } },
      }),
    );
    await eventually(async () => (await h.reader.list('Event', 'ready1', { fieldSelector: 'reason=Unhealthy' })).length > 0 && (await pods('ready1', 'web')).some((p) => p.status?.phase === 'Running'), 60_000);
    const p = await diagnoseIncident(incident('KubeDeploymentReplicasMismatch', firing({ namespace: 'ready1', deployment: 'web' })), deps());
    expect(p.escalate.required).toBe(true);
    expect(p.actions).toEqual([]);
    expect(p.rootCause).toMatch(/readiness probe/);
    expect(JSON.stringify(p.evidence)).toMatch(/Readiness probe failed: HTTP probe failed with statuscode: 500/);
  });

  it('a healthy workload → escalate "nothing found", no action', async () => {
    await apply('fine', workload('Deployment', 'fine', 'web'));
    await rolledOut('fine', 'web');
    const p = await diagnoseIncident(incident('deployment web in namespace fine has high latency'), deps());
    expect(p.target).toMatchObject({ kind: 'Deployment', name: 'web' });
    expect(p.escalate.required).toBe(true);
    expect(p.actions).toEqual([]);
    expect(p.escalate.reason).toMatch(/no failure the runbook knows/);
  });

  it.each([
    ['StatefulSet', 'db'],
    ['DaemonSet', 'agent'],
  ] as const)('a crash-looping %s with no earlier revision → escalate with the exit code, target the %s, act on nothing', async (kind, name) => {
    const ns = kind.toLowerCase();
    await apply(ns, workload(kind, ns, name, { image: 'busybox:1.36', command: ['sh', '-c', 'exit 1'] }));
    const pod = await eventually(async () => (await pods(ns, name)).find(restarted), 90_000);
    const p = await diagnoseIncident(incident('KubePodCrashLooping', { namespace: ns, pod: pod.metadata.name }), deps());
    expect(p.target).toMatchObject({ kind, namespace: ns, name });
    expect(p.escalate.required).toBe(true);
    expect(p.actions).toEqual([]);
    expect(p.rootCause).toMatch(new RegExp(`container app of ${kind.toLowerCase()} ${name} crash-loops with exit code 1 \\(a generic application error\\)`));
    expect(p.escalate.reason).toMatch(/A human must/);
  });

  it('a crash-looping pod with no controller → escalate, target the pod', async () => {
    await apply('bare', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'one-off', namespace: 'bare', labels: { app: 'one-off' } }, spec: template('one-off', { image: 'busybox:1.36', command: ['sh', '-c', 'exit 3'] }).spec });
    await eventually(async () => (await pods('bare', 'one-off')).find(restarted), 90_000);
    const p = await diagnoseIncident(incident('Pod bare/one-off is crash looping'), deps());
    expect(p.target).toMatchObject({ kind: 'Pod', namespace: 'bare', name: 'one-off' });
    expect(p.escalate.required).toBe(true);
    expect(p.actions).toEqual([]);
    expect(p.rootCause).toMatch(/container app of pod one-off crash-loops with exit code 3/);
    expect(p.escalate.reason).toMatch(/recreate pod one-off \(a bare Pod, its spec cannot be changed\)/);
  });

  // Last: it cordons a node.
  it('Pending because the requests fit no node, with a node cordoned → escalate, never uncordon', async () => {
    const [node] = (await h.reader.list('Node', undefined)).map((n) => n.metadata.name!);
    await kubectl.ok(['cordon', node]);
    await apply('big', workload('Deployment', 'big', 'batch', { cpu: '64' }));
    await eventually(
      async () => (await pods('big', 'batch')).some((p) => ((p.status?.conditions ?? []) as Array<{ type: string; reason?: string }>).some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable')),
      60_000,
    );
    const p = await diagnoseIncident(incident('KubePodNotReady', { namespace: 'big', deployment: 'batch' }), deps());
    expect(p.escalate.required).toBe(true);
    expect(p.actions).toEqual([]);
    expect(p.rootCause).toMatch(/insufficient cpu/);
    expect(p.rootCause).toMatch(/the pod requests 64000m/);
    expect(p.escalate.reason).toMatch(/never lowers requests/);
  });
});
