import { describe, expect, it } from 'vitest';
import { verifyPostconditions } from '../../../backend/src/verify/verify-postconditions.js';
import type { Clock, ClusterReader } from '../../../backend/src/domain/ports.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';

/** A clock that jumps forward on sleep, so the loop's deadlines are exercised without waiting. */
function fakeClock(): Clock {
  let t = 1_000_000;
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

/** A ClusterReader whose answers change with every read (a scripted cluster). */
function scriptedReader(deployments: KubeObject[], pods: KubeObject[][] = [[]]): ClusterReader & { reads: number } {
  let d = 0;
  let p = 0;
  const reader = {
    reads: 0,
    async get() {
      reader.reads++;
      return deployments[Math.min(d++, deployments.length - 1)];
    },
    async list() {
      reader.reads++;
      return pods[Math.min(p++, pods.length - 1)];
    },
    async readLog() {
      return '';
    },
  };
  return reader;
}

const dep = (ready: number): KubeObject => ({
  metadata: { name: 'web', generation: 1 },
  spec: { replicas: 2 },
  status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: ready, availableReplicas: ready },
});
const crashing = (restarts: number): KubeObject => ({
  metadata: { name: 'web-1' },
  status: { phase: 'Running', containerStatuses: [{ name: 'app', restartCount: restarts, state: {} }] },
});
const options = { deadlineMs: 10_000, pollMs: 1_000, crashLoopWindowMs: 3_000 };

describe('verifyPostconditions', () => {
  it('is unverifiable with no postcondition', async () => {
    const v = await verifyPostconditions([{ type: 'none' }], { reader: scriptedReader([]), clock: fakeClock() }, options);
    expect(v.status).toBe('unverifiable');
  });

  it('polls until the rollout completes', async () => {
    const reader = scriptedReader([dep(0), dep(1), dep(2)]);
    const v = await verifyPostconditions([{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }], { reader, clock: fakeClock() }, options);
    expect(v.status).toBe('verified');
    expect(reader.reads).toBe(3);
  });

  it('fails at the deadline with the observed state', async () => {
    const v = await verifyPostconditions([{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }], { reader: scriptedReader([dep(1)]), clock: fakeClock() }, options);
    expect(v.status).toBe('failed');
    expect(v.detail).toMatch(/1\/2 ready.*deadline/);
    expect(v.observed).toMatchObject({ rolloutComplete: { ready: 1, desired: 2 } });
  });

  it('noCrashLoop needs a whole clean window, and a restart inside it fails at the deadline', async () => {
    const clean = await verifyPostconditions(
      [{ type: 'noCrashLoop', namespace: 'shop', selector: 'app=web', windowSeconds: 3 }],
      { reader: scriptedReader([], [[crashing(2)]]), clock: fakeClock() },
      options,
    );
    expect(clean.status).toBe('verified');
    const looping = await verifyPostconditions(
      [{ type: 'noCrashLoop', namespace: 'shop', selector: 'app=web', windowSeconds: 3 }],
      { reader: scriptedReader([], Array.from({ length: 50 }, (_, i) => [crashing(i)])), clock: fakeClock() },
      options,
    );
    expect(looping.status).toBe('failed');
    expect(looping.detail).toMatch(/restarts/);
  });

  it('checks in order and stops at the first that fails', async () => {
    const reader = scriptedReader([dep(0)], [[crashing(0)]]);
    const v = await verifyPostconditions(
      [{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }, { type: 'noCrashLoop', namespace: 'shop', selector: 'app=web', windowSeconds: 3 }],
      { reader, clock: fakeClock() },
      options,
    );
    expect(v.status).toBe('failed');
    expect(v.detail).toMatch(/^rollout/);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(
      verifyPostconditions([{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }], { reader: scriptedReader([dep(0)]), clock: fakeClock(), signal: controller.signal }, options),
    ).rejects.toThrow(/shutting down/);
  });

  it('fails fast on a progress deadline exceeded instead of polling to the deadline', async () => {
    const stuck: KubeObject = { ...dep(1), status: { ...dep(1).status, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] } };
    const reader = scriptedReader([dep(0), stuck, dep(2)]);
    const v = await verifyPostconditions([{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }], { reader, clock: fakeClock() }, options);
    expect(v.status).toBe('failed');
    expect(v.detail).toMatch(/progress deadline exceeded/);
    expect(reader.reads).toBe(2);
  });

  it('a read that never answers ends verification at its deadline, inconclusive (not failed), instead of hanging', async () => {
    const silent: ClusterReader = { get: () => new Promise(() => {}), list: () => new Promise(() => {}), readLog: async () => '' };
    for (const pc of [{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }, { type: 'noCrashLoop', namespace: 'shop', selector: 'app=web', windowSeconds: 1 }] as const) {
      const v = await verifyPostconditions([pc], { reader: silent, clock: fakeClock() }, { ...options, deadlineMs: 200, pollMs: 100 });
      expect(v.status).toBe('inconclusive');
      expect(v.detail).toMatch(/could not verify: the cluster could not be read .*no answer before the verification deadline/);
    }
  }, 20_000);

  describe('the API server unreachable during the window', () => {
    const refused = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443'));
    /** Reads fail while `down(read)` says so, and see `state` otherwise. */
    const outageReader = (down: (read: number) => boolean, state: KubeObject): ClusterReader & { reads: number } => {
      const r = {
        reads: 0,
        get: () => (down(r.reads++) ? refused() : Promise.resolve(state)),
        list: () => (down(r.reads++) ? refused() : Promise.resolve([crashing(0)])),
        readLog: async () => '',
      };
      return r;
    };
    const rollout = [{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }] as const;

    it('longer than the window: inconclusive, saying what was last seen before the outage', async () => {
      const reader = outageReader((read) => read >= 2, dep(1));
      const v = await verifyPostconditions(rollout, { reader, clock: fakeClock() }, options);
      expect(v.status).toBe('inconclusive');
      expect(v.detail).toMatch(/could not verify: .*9 failed reads, last: connect ECONNREFUSED.*last observed before that: rollout not complete: 1\/2 ready/);
    });

    it('shorter than the window: the polls go on and verify once the API server answers', async () => {
      const reader = outageReader((read) => read >= 1 && read < 6, dep(2));
      const v = await verifyPostconditions(rollout, { reader, clock: fakeClock() }, options);
      expect(v.status).toBe('verified');
    });

    it('an outage that ends before the deadline and a state seen bad after it: failed, on that observation', async () => {
      const reader = outageReader((read) => read < 5, dep(1));
      const v = await verifyPostconditions(rollout, { reader, clock: fakeClock() }, options);
      expect(v.status).toBe('failed');
      expect(v.detail).toMatch(/1\/2 ready.*deadline passed/);
    });

    it('noCrashLoop: unreadable at the end of the window is inconclusive too', async () => {
      const reader = outageReader((read) => read >= 3, dep(2));
      const v = await verifyPostconditions([{ type: 'noCrashLoop', namespace: 'shop', selector: 'app=web', windowSeconds: 5 }], { reader, clock: fakeClock() }, options);
      expect(v.status).toBe('inconclusive');
      expect(v.detail).toMatch(/could not verify/);
    });
  });

  it('restarts from before the write never count: the window starts at the first successful read', async () => {
    let calls = 0;
    const flaky: ClusterReader = {
      get: async () => undefined,
      list: async () => {
        if (calls++ === 0) throw new Error('connection reset');
        return [crashing(7)];
      },
      readLog: async () => '',
    };
    const v = await verifyPostconditions([{ type: 'noCrashLoop', namespace: 'shop', selector: 'app=web', windowSeconds: 3 }], { reader: flaky, clock: fakeClock() }, options);
    expect(v.status, v.detail).toBe('verified');
  });
});
