import { describe, expect, it } from 'vitest';
import { createRiskPort } from '../../../backend/src/execute/risk-port.js';
import { targetsOfCommands } from '../../../backend/src/execute/read-target-markers.js';
import { MemorySafetyStore } from '../../../backend/src/safety/memory-safety-store.js';
import { claimReplan, MAX_REPLANS_PER_INCIDENT } from '../../../backend/src/safety/approvals.js';

// Which objects of a plan get a change marker, and the bound on re-plans after a refused approval (on the in-process
// safety store, the same markOnce the Redis store implements).

const risk = createRiskPort({ PROTECTED_NAMESPACES: ['kube-system'], DENY_COMMANDS: [] });

describe('targetsOfCommands', () => {
  it('names each object a command acts on once, in command order, with its namespace (none for cluster-scoped kinds)', () => {
    expect(
      targetsOfCommands(risk, [
        'kubectl rollout undo deployment/web -n shop',
        'kubectl scale deployment web --replicas=3 -n shop',
        'kubectl uncordon n1',
        'kubectl delete pod web-7d9 -n shop',
        'kubectl scale deployment api worker --replicas=2 -n shop',
      ]),
    ).toEqual([
      { kind: 'Deployment', namespace: 'shop', name: 'web' },
      { kind: 'Node', name: 'n1' },
      { kind: 'Pod', namespace: 'shop', name: 'web-7d9' },
      { kind: 'Deployment', namespace: 'shop', name: 'api' },
      { kind: 'Deployment', namespace: 'shop', name: 'worker' },
    ]);
  });

  it('names nothing for selector-wide commands and for kinds the agent cannot read (Secret)', () => {
    expect(targetsOfCommands(risk, ['kubectl delete pods -l app=web -n shop', 'kubectl delete secret db-creds -n shop'])).toEqual([]);
  });
});

describe('claimReplan', () => {
  it('one re-plan per refused approval, and at most MAX_REPLANS_PER_INCIDENT per incident', async () => {
    const marks = new MemorySafetyStore();
    expect(await claimReplan(marks, 'apr-1', 'P1')).toEqual({ kind: 'claimed', n: 1 });
    expect(await claimReplan(marks, 'apr-1', 'P1')).toEqual({ kind: 'already' });
    for (let n = 2; n <= MAX_REPLANS_PER_INCIDENT; n += 1) expect(await claimReplan(marks, `apr-${n}`, 'P1')).toEqual({ kind: 'claimed', n });
    expect(await claimReplan(marks, 'apr-last', 'P1')).toEqual({ kind: 'limit', max: MAX_REPLANS_PER_INCIDENT });
    // Another incident has its own bound.
    expect(await claimReplan(marks, 'apr-other', 'P2')).toEqual({ kind: 'claimed', n: 1 });
  });
});
