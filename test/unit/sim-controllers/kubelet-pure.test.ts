import { describe, expect, it } from 'vitest';
import { crashLoopMessage, formatDuration, pullRetryDelaySeconds, restartDelaySeconds } from '../../../chaos/sim/kubelet/backoff.js';
import { findEnvProblem, findVolumeProblem } from '../../../chaos/sim/kubelet/config-refs.js';
import { exitCodeFor, failingProbes, isOomKilled, shellScript } from '../../../chaos/sim/kubelet/container-behaviour.js';
import { getPodPhase } from '../../../chaos/sim/kubelet/pod-phase.js';
import type { SimObject } from '../../../chaos/sim/store/types.js';

describe('back-off', () => {
  it('restarts at once, then 10 s doubling to 5 min', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(restartDelaySeconds)).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 300]);
    expect([0, 1, 2, 5, 9].map(pullRetryDelaySeconds)).toEqual([10, 20, 40, 300, 300]);
  });
  it('formats the CrashLoopBackOff message', () => {
    expect(crashLoopMessage(20, 'app', { name: 'crashy', namespace: 'default', uid: 'u-1' })).toBe('back-off 20s restarting failed container=app pod=crashy_default(u-1)');
    expect(formatDuration(300)).toBe('5m0s');
    expect(formatDuration(160)).toBe('2m40s');
  });
});

describe('exit codes', () => {
  it.each([
    [{ command: ['sh', '-c', 'exit 1'] }, 1],
    [{ command: ['/bin/sh', '-c', 'echo starting; sleep 1; exit 3'] }, 3],
    [{ command: ['bash', '-ec', 'exit 0; exit 2'] }, 2],
    [{ command: ['sh'], args: ['-c', 'exit 42'] }, 42],
    [{ command: ['ash', '-c', 'echo hi && exit 0'] }, undefined],
    [{ command: ['sh', '-c', 'sleep infinity'] }, undefined],
    [{ command: ['python', '-c', 'exit 1'] }, undefined],
    [{ args: ['exit 1'] }, undefined],
  ])('%j → %s', (spec, code) => {
    expect(exitCodeFor({ name: 'c', ...spec }, {})).toBe(code);
  });
  it('prefers the annotation', () => {
    expect(exitCodeFor({ name: 'c', command: ['sh', '-c', 'exit 1'] }, { 'sim.oncall-agent.dev/exit-code.c': '7' })).toBe(7);
    expect(exitCodeFor({ name: 'c' }, { 'sim.oncall-agent.dev/exit-code.c': '0' })).toBe(0);
    expect(exitCodeFor({ name: 'c' }, { 'sim.oncall-agent.dev/exit-code.other': '1' })).toBeUndefined();
  });
  it('finds shell scripts', () => {
    expect(shellScript(['sh', '-c', 'x'])).toBe('x');
    expect(shellScript(['sh', 'script.sh'])).toBeUndefined();
  });
});

describe('OOM and probes', () => {
  const c = (limit?: string) => ({ name: 'app', resources: limit ? { limits: { memory: limit } } : {} });
  it.each([
    ['128Mi', '300', true],
    ['512Mi', '300', false],
    ['300Mi', '300', false],
    ['0.25Gi', '300', true],
    ['134217728', '200', true],
    ['1G', '900', false],
    [undefined, '99999', false],
  ])('limit %s, working set %s MiB → OOM %s', (limit, mi, oom) => {
    expect(isOomKilled(c(limit), { 'sim.oncall-agent.dev/memory-mi.app': mi })).toBe(oom);
  });
  it('reads probe failures', () => {
    expect(failingProbes('app', { 'sim.oncall-agent.dev/probe-fail.app': 'readiness' })).toEqual({ readiness: true, liveness: false });
    expect(failingProbes('app', { 'sim.oncall-agent.dev/probe-fail.app': 'both' })).toEqual({ readiness: true, liveness: true });
    expect(failingProbes('app', {})).toEqual({ readiness: false, liveness: false });
  });
});

describe('missing ConfigMaps and Secrets', () => {
  const objects: Record<string, SimObject> = {
    'configmaps/cfg': { data: { present: 'x' } } as unknown as SimObject,
    'secrets/creds': { data: { token: 'eA==' } } as unknown as SimObject,
  };
  const lookup = (r: string, _ns: string, n: string) => objects[`${r}/${n}`];
  it.each([
    [{ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, 'configmap "nope" not found'],
    [{ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }, "couldn't find key k in ConfigMap shop/cfg"],
    [{ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'creds', key: 'pw' } } }] }, "couldn't find key pw in Secret shop/creds"],
    [{ envFrom: [{ secretRef: { name: 'gone' } }] }, 'secret "gone" not found'],
    [{ envFrom: [{ configMapRef: { name: 'gone', optional: true } }] }, undefined],
    [{ env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'present' } } }] }, undefined],
  ])('%j → %s', (container, message) => {
    expect(findEnvProblem(container, 'shop', lookup)).toBe(message);
  });
  it('reports volumes with the FailedMount text', () => {
    expect(findVolumeProblem([{ name: 'conf', configMap: { name: 'nope' } }], 'shop', lookup)).toEqual({
      volume: 'conf',
      message: 'MountVolume.SetUp failed for volume "conf" : configmap "nope" not found',
    });
    expect(findVolumeProblem([{ name: 's', secret: { secretName: 'x' } }], 'shop', lookup)?.message).toContain('secret "x" not found');
    expect(findVolumeProblem([{ name: 'api', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }] } }], 'shop', lookup)).toBeUndefined();
  });
});

describe('getPodPhase', () => {
  const running = { state: { running: {} } };
  const waiting = { state: { waiting: {} } };
  const done = (exitCode: number) => ({ state: { terminated: { exitCode } } });
  const crashLooping = { state: { waiting: {} }, lastState: { terminated: { exitCode: 1 } } };
  it.each([
    ['Always', [], [waiting], 'Pending'],
    ['Always', [], [running], 'Running'],
    ['Always', [], [crashLooping], 'Running'],
    ['Always', [], [done(1)], 'Running'],
    ['Never', [], [done(0)], 'Succeeded'],
    ['Never', [], [done(2)], 'Failed'],
    ['OnFailure', [], [done(0)], 'Succeeded'],
    ['OnFailure', [], [done(1)], 'Running'],
    ['Always', [running], [waiting], 'Pending'],
    ['Never', [done(1)], [waiting], 'Failed'],
    ['Always', [done(0)], [running], 'Running'],
    ['Always', [], [running, waiting], 'Pending'],
  ] as const)('%s %j %j → %s', (policy, inits, containers, phase) => {
    expect(getPodPhase(policy, [...inits], [...containers], containers.length)).toBe(phase);
  });
});
