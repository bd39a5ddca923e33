// The simulated kubelet's rules (kube-sim-semantics.md) that failure-modes.test.ts does not cover, one pod per
// rule, all applied at once with the real kubectl and checked the way a person reads `get pods` and events.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/index.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';

const pod = (name: string, spec: string, annotations = '{}') => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, annotations: ${annotations}}
spec:
${spec}`;

const manifest = [
  pod('neverpull', '  containers: [{name: c, image: "nginx:1.25.3", imagePullPolicy: Never}]'),
  pod('badhost', '  containers: [{name: c, image: "registry.example.invalid/app:1"}]'),
  pod('badtag', '  containers: [{name: c, image: "nginx:100.1"}]'),
  pod('badrepo', '  containers: [{name: c, image: "acme-internal/payments:2.4"}]'),
  pod('pg', '  containers: [{name: c, image: "docker.io/library/postgres:9.6", env: [{name: POSTGRES_PASSWORD, value: example}]}]'),
  pod('missingkey', '  containers: [{name: c, image: nginx:1.25, env: [{name: X, valueFrom: {configMapKeyRef: {name: present, key: nokey}}}]}]'),
  `---
apiVersion: v1
kind: ConfigMap
metadata: {name: present}
data: {a: b}`,
  pod('nosecret', '  containers: [{name: c, image: nginx:1.25, envFrom: [{secretRef: {name: gone}}]}]'),
  pod('projected', '  containers: [{name: c, image: nginx:1.25, volumeMounts: [{name: v, mountPath: /x}]}]\n  volumes: [{name: v, projected: {sources: [{secret: {name: gone2}}]}}]'),
  pod('annozero', '  restartPolicy: Never\n  containers: [{name: c, image: nginx:1.25}]', '{sim.oncall-agent.dev/exit-code.c: "0"}'),
  pod('onfailure', '  restartPolicy: OnFailure\n  containers: [{name: c, image: busybox:1.36, command: [sh, -c, "echo hi; exit 3"]}]'),
  pod('exitzero', '  containers: [{name: c, image: busybox:1.36, command: [sh, -c, "exit 0; sleep 1000"]}]'),
  pod('initfail', '  initContainers: [{name: i1, image: busybox:1.36, command: [sh, -c, "exit 2"]}]\n  containers: [{name: c, image: nginx:1.25}]'),
  pod('hostnet', '  hostNetwork: true\n  containers: [{name: c, image: nginx:1.25}]'),
  pod('latestcrash', '  containers: [{name: c, image: busybox, command: [sh, -c, "exit 5"]}]'),
  pod('live', '  containers: [{name: c, image: nginx:1.25, livenessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1, failureThreshold: 2}}]', '{sim.oncall-agent.dev/probe-fail.c: liveness}'),
].join('\n');

interface PodJson {
  metadata: { name: string };
  status: { phase: string; podIP?: string; containerStatuses?: Array<{ restartCount: number; lastState?: { terminated?: { exitCode: number; reason: string } }; state: Record<string, { reason?: string; exitCode?: number }> }> };
}
interface EventJson {
  involvedObject: { name: string };
  reason: string;
  message: string;
  count?: number;
}

let sim: RunningSim;
let k: Kubectl;

beforeAll(async () => {
  sim = await startSim({ speed: 20, nodes: 1 });
  k = kubectlFor(sim.kubeconfigPath);
  await k.ok(['apply', '-f', '-'], { input: manifest });
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

const statuses = async () =>
  Object.fromEntries(
    (await k.ok(['get', 'pods', '--no-headers']))
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .map(([name, ready, status, restarts]) => [name, { ready, status, restarts: Number(restarts) }]),
  );
const pods = async () => Object.fromEntries((JSON.parse(await k.ok(['get', 'pods', '-o', 'json'])) as { items: PodJson[] }).items.map((p) => [p.metadata.name, p]));
const events = async (name: string) => (JSON.parse(await k.ok(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json'])) as { items: EventJson[] }).items;

describe('simulated kubelet rules through kubectl', () => {
  it('each pod shows the STATUS a real kubelet produces', async () => {
    const seen = await eventually(async () => {
      const s = await statuses();
      const ok =
        s.neverpull?.status === 'ErrImageNeverPull' &&
        ['ErrImagePull', 'ImagePullBackOff'].includes(s.badhost?.status) &&
        ['ErrImagePull', 'ImagePullBackOff'].includes(s.badtag?.status) &&
        ['ErrImagePull', 'ImagePullBackOff'].includes(s.badrepo?.status) &&
        s.pg?.status === 'Running' &&
        s.missingkey?.status === 'CreateContainerConfigError' &&
        s.nosecret?.status === 'CreateContainerConfigError' &&
        s.projected?.status === 'ContainerCreating' &&
        s.annozero?.status === 'Completed' &&
        s.onfailure?.restarts >= 2 &&
        /^Init:(Error|CrashLoopBackOff)$/.test(s.initfail?.status ?? '') &&
        s.hostnet?.status === 'Running' &&
        s.latestcrash?.restarts >= 2 &&
        s.live?.restarts >= 1;
      return ok ? s : undefined;
    }, 60_000);
    // `exit 0; sleep 1000` ends at the `exit 0` as in a real shell: Completed, then restarted (restartPolicy Always).
    expect(['Completed', 'CrashLoopBackOff', 'Running']).toContain(seen.exitzero.status);
    expect(seen.exitzero.restarts).toBeGreaterThanOrEqual(1);
    expect(seen.pg.ready).toBe('1/1');

    const p = await pods();
    expect(p.annozero.status.phase).toBe('Succeeded');
    expect(p.annozero.status.containerStatuses?.[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(p.onfailure.status.containerStatuses?.[0].lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(p.live.status.containerStatuses?.[0].lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(p.initfail.status.phase).toBe('Pending');
    expect(p.hostnet.status.podIP).toBe('127.0.0.1');
    expect(p.missingkey.status.containerStatuses?.[0].state.waiting).toMatchObject({ reason: 'CreateContainerConfigError' });
  }, 90_000);

  it('events carry the kubelet\'s messages', async () => {
    const messages = async (name: string, reason: string) => (await events(name)).filter((e) => e.reason === reason).map((e) => e.message);
    expect(await messages('neverpull', 'ErrImageNeverPull')).toEqual(['Container image "nginx:1.25.3" is not present with pull policy of Never']);
    expect((await messages('badhost', 'Failed')).join('\n')).toMatch(/^Failed to pull image "registry\.example\.invalid\/app:1": rpc error: code = Unknown desc = .*no such host$/m);
    expect((await messages('badtag', 'Failed')).join('\n')).toMatch(/^Failed to pull image "nginx:100\.1": rpc error: code = NotFound desc = .*not found$/m);
    expect(await messages('badtag', 'BackOff')).toEqual(['Back-off pulling image "nginx:100.1"']);
    // A repository Docker Hub does not have: the registry's 401, not a missing tag.
    expect((await messages('badrepo', 'Failed')).join('\n')).toMatch(
      /^Failed to pull image "acme-internal\/payments:2\.4": rpc error: code = Unknown desc = failed to pull and unpack image "docker\.io\/acme-internal\/payments:2\.4": failed to resolve reference "docker\.io\/acme-internal\/payments:2\.4": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed$/m,
    );
    expect(await messages('missingkey', 'Failed')).toEqual(["Error: couldn't find key nokey in ConfigMap default/present"]);
    expect(await messages('nosecret', 'Failed')).toEqual(['Error: secret "gone" not found']);
    expect(await messages('projected', 'FailedMount')).toEqual(['MountVolume.SetUp failed for volume "v" : secret "gone2" not found']);
    expect(await messages('live', 'Killing')).toEqual(['Container c failed liveness probe, will be restarted']);
    // An untagged image means pull policy Always: pulled again on every start, never "already present".
    const latest = await events('latestcrash');
    expect(latest.find((e) => e.reason === 'Pulling')?.count ?? 0).toBeGreaterThanOrEqual(2);
    expect(latest.some((e) => e.message.includes('already present'))).toBe(false);
  });

  it('creating the missing Secret lets the pod start', async () => {
    await k.ok(['create', 'secret', 'generic', 'gone', '--from-literal=a=b']);
    await eventually(async () => (await statuses()).nosecret?.status === 'Running', 60_000);
  }, 70_000);
});
