// Long verification waits tell the log how far along they are (issue 14): "noCrashLoop: 12 s of 30 s, 2/2 ready, 0 restarts".
import { describe, expect, it } from 'vitest';
import { PROGRESS_EVERY_MS, verifyPostconditions } from '../../../backend/src/verify/verify-postconditions.js';
import type { Clock, ClusterReader } from '../../../backend/src/domain/ports.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';

function fakeClock(): Clock {
  let t = 5_000_000;
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

const readyPod = (name: string): KubeObject => ({
  metadata: { name },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', restartCount: 0, ready: true, state: { running: {} } }] },
});

function reader(answer: () => { deployment?: KubeObject; pods: KubeObject[] }): ClusterReader {
  return {
    get: async () => answer().deployment,
    list: async () => answer().pods,
    readLog: async () => '',
  } as unknown as ClusterReader;
}

describe('verification progress', () => {
  it('reports the noCrashLoop window as it runs, at most every PROGRESS_EVERY_MS', async () => {
    const messages: string[] = [];
    const pods = [readyPod('web-1'), readyPod('web-2')];
    const verdict = await verifyPostconditions(
      [{ type: 'noCrashLoop', namespace: 'shop', selector: 'app=web', windowSeconds: 30 }],
      { reader: reader(() => ({ pods })), clock: fakeClock(), progress: (m) => messages.push(m) },
      { deadlineMs: 120_000, pollMs: 2_000, crashLoopWindowMs: 30_000 },
    );
    expect(verdict.status).toBe('verified');
    expect(messages.length).toBeGreaterThanOrEqual(4);
    expect(messages.length).toBeLessThanOrEqual(30_000 / PROGRESS_EVERY_MS + 1);
    expect(messages[0]).toMatch(/^noCrashLoop: \d+ s of 30 s, 2\/2 ready, 0 restarts$/);
    const elapsed = messages.map((m) => Number(/: (\d+) s of/.exec(m)![1]));
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
  });

  it('reports a rollout that is still going, with what it saw', async () => {
    const messages: string[] = [];
    let reads = 0;
    const deployment = (): KubeObject => ({
      metadata: { name: 'web', generation: 2 },
      spec: { replicas: 2 },
      status: { observedGeneration: 2, replicas: 2, updatedReplicas: reads > 8 ? 2 : 1, readyReplicas: reads++ > 8 ? 2 : 1, availableReplicas: 1 },
    });
    await verifyPostconditions(
      [{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }],
      { reader: reader(() => ({ deployment: deployment(), pods: [] })), clock: fakeClock(), progress: (m) => messages.push(m) },
      { deadlineMs: 120_000, pollMs: 2_000, crashLoopWindowMs: 30_000 },
    );
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]).toMatch(/^rolloutComplete: \d+ s of at most 120 s, /);
  });

  it('says nothing without a progress listener (the contract is optional)', async () => {
    const verdict = await verifyPostconditions(
      [{ type: 'noCrashLoop', namespace: 'shop', selector: 'app=web', windowSeconds: 10 }],
      { reader: reader(() => ({ pods: [readyPod('web-1')] })), clock: fakeClock() },
      { deadlineMs: 60_000, pollMs: 2_000, crashLoopWindowMs: 10_000 },
    );
    expect(verdict.status).toBe('verified');
  });
});
