// The node lifecycle controller must not mistake its own stall for dead kubelets: at speed 20 the 40 s grace is 2 real
// seconds, so a blocked event loop (a long GC, a busy shared CPU) once flapped every node to Unknown, tainted it, and
// wrote a stale copy of its taints back. A dead kubelet is still found.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { eventually } from '../../helpers/kubectl.js';

let sim: RunningSim;
const ready = (name: string) => ((sim.store.get('nodes', undefined, name)?.status?.conditions ?? []) as Array<{ type: string; status: string }>).find((c) => c.type === 'Ready')?.status;
const notReadyEvents = () => sim.store.list('events', undefined).filter((e) => (e as { reason?: string }).reason === 'NodeNotReady').length;

beforeAll(async () => {
  sim = await startSim({ speed: 20, nodes: 2 });
  await eventually(async () => ready('sim-node-1') === 'True' && ready('sim-node-2') === 'True', 10_000);
});
afterAll(async () => {
  await sim?.stop();
});

describe('node lifecycle under a stalled process', () => {
  it('keeps live nodes Ready across an event-loop stall longer than the grace period', async () => {
    const before = notReadyEvents();
    // Blocks every timer (kubelet lease renewals and the monitor alike) for longer than 2 real seconds.
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      // busy: nothing else in this process runs
    }
    // Let the late timers fire, then several monitor passes (every 100 ms at speed 20).
    await new Promise((r) => setTimeout(r, 1_000));
    expect([ready('sim-node-1'), ready('sim-node-2')]).toEqual(['True', 'True']);
    expect(notReadyEvents()).toBe(before);
    expect(sim.store.get('nodes', undefined, 'sim-node-1')?.spec?.taints ?? []).toEqual([]);
  });

  it('still finds a kubelet that stopped', async () => {
    const node = sim.store.get('nodes', undefined, 'sim-node-2')!;
    sim.store.update('nodes', { ...node, metadata: { ...node.metadata, annotations: { ...node.metadata.annotations, 'sim.oncall-agent.dev/heartbeat': 'stop' } } });
    await eventually(async () => ready('sim-node-2') === 'Unknown', 20_000);
    expect(ready('sim-node-1')).toBe('True');
  });
});
