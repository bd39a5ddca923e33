import { describe, expect, it } from 'vitest';
import { summariseEvents } from '../../../backend/src/tools/get-events.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';

describe('summariseEvents', () => {
  it('counts repeats from series (events.k8s.io events) as well as from count, and orders by the last occurrence', () => {
    const scheduler: KubeObject = {
      metadata: { name: 'web-1.abc', creationTimestamp: '2026-11-21T10:00:00Z' },
      type: 'Warning',
      reason: 'FailedScheduling',
      involvedObject: { kind: 'Pod', name: 'web-1' },
      eventTime: '2026-11-21T10:00:00.000000Z',
      series: { count: 7, lastObservedTime: '2026-11-21T10:09:00.000000Z' },
      message: '0/3 nodes are available: 3 Insufficient cpu.',
    };
    const kubelet: KubeObject = {
      metadata: { name: 'web-1.def' },
      type: 'Warning',
      reason: 'BackOff',
      involvedObject: { kind: 'Pod', name: 'web-1' },
      lastTimestamp: '2026-11-21T10:05:00Z',
      count: 3,
      message: 'Back-off restarting failed container',
    };
    const out = summariseEvents([kubelet, scheduler]);
    const lines = out.events.split('\n').filter((l) => /FailedScheduling|BackOff/.test(l));
    expect(lines[0]).toContain('FailedScheduling Pod/web-1 (x7)');
    expect(lines[0]).toContain('2026-11-21T10:09:00');
    expect(lines[1]).toContain('BackOff Pod/web-1 (x3)');
    expect(out).toMatchObject({ total: 2, warnings: 2, shown: 2 });
  });
});
