import { describe, expect, it } from 'vitest';
import { isPodHealthy, podReason, recentCrashReason, RECENT_CRASH_SECONDS } from '../../../backend/src/tools/pod-summary.js';
import { summariseHistory } from '../../../backend/src/tools/get-deployment-history.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

/** A pod of a crash-looping container caught in the moment it runs between two back-offs. */
function runningBetweenCrashes(finishedSecondsAgo: number, exitCode = 1, reason = 'Error'): KubeObject {
  return {
    metadata: { name: 'web-2-abc', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-2', uid: 'rs2' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 3,
          state: { running: { startedAt: ago(finishedSecondsAgo - 1) } },
          lastState: { terminated: { reason, exitCode, finishedAt: ago(finishedSecondsAgo) } },
        },
      ],
    },
  };
}

describe('pod health between crash-loop restarts', () => {
  it('a running, ready container whose last run failed recently is still a crash loop', () => {
    const pod = runningBetweenCrashes(5);
    expect(recentCrashReason(pod)).toBe('Error');
    expect(podReason(pod)).toBe('Error');
    expect(isPodHealthy(pod)).toBe(false);
    expect(podReason(runningBetweenCrashes(5, 137, 'OOMKilled'))).toBe('OOMKilled');
  });

  it('an old failure or a clean exit is history: the pod is healthy', () => {
    expect(isPodHealthy(runningBetweenCrashes(RECENT_CRASH_SECONDS + 60))).toBe(true);
    // A clean exit is history only where it is not restarted as a failure (OnFailure/Never); under Always
    // (every Deployment pod) "Completed" is followed by CrashLoopBackOff like any crash.
    expect(isPodHealthy({ ...runningBetweenCrashes(5, 0, 'Completed'), spec: { restartPolicy: 'OnFailure' } })).toBe(true);
    expect(isPodHealthy(runningBetweenCrashes(5, 0, 'Completed'))).toBe(false);
    expect(podReason(runningBetweenCrashes(5, 0, 'Completed'))).toBe('Completed');
    expect(podReason(runningBetweenCrashes(RECENT_CRASH_SECONDS + 60))).toBeUndefined();
  });

  it('the revision of such pods reads as unhealthy with the crash reason, not healthy', () => {
    const deployment: KubeObject = { metadata: { name: 'web', namespace: 'shop', uid: 'd1' } };
    const rs: KubeObject = {
      metadata: { name: 'web-2', annotations: { 'deployment.kubernetes.io/revision': '2' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1' }] },
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } } },
      status: { readyReplicas: 1 },
    };
    const [revision] = summariseHistory(deployment, [rs], [runningBetweenCrashes(2)]);
    expect(revision).toMatchObject({ revision: 2, health: 'unhealthy', podReasons: ['Error'], unhealthyPods: 1 });
  });
});
