import { describe, expect, it } from 'vitest';
import { judgeAllLanded, judgeLanded } from '../../../backend/src/execute/judge-landed.js';
import type { LedgerSnapshot } from '../../../backend/src/ledger/action-ledger.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';

const target = { resource: 'deployments', name: 'web', namespace: 'shop', ref: { kind: 'Deployment', name: 'web', namespace: 'shop' } };
const deployment = (generation: number, extra: Partial<KubeObject['metadata']> = {}, spec: Record<string, unknown> = { replicas: 2 }): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', uid: 'u1', generation, resourceVersion: String(generation * 10), ...extra },
  spec,
});
const snap = (object?: KubeObject, absent?: true): LedgerSnapshot => ({ target, object, absent, takenAt: 1 });

describe('judgeLanded: did the write of a process that died land?', () => {
  it('landed when the generation moved on', () => {
    expect(judgeLanded(snap(deployment(3)), { object: deployment(4) })).toMatchObject({ kind: 'landed', why: expect.stringMatching(/generation 3 → 4/) });
  });
  it('not landed when generation, labels and annotations are unchanged (status-only changes do not count)', () => {
    expect(judgeLanded(snap(deployment(3)), { object: { ...deployment(3, { resourceVersion: '99' }), status: { readyReplicas: 2 } } }).kind).toBe('not-landed');
  });
  it('landed when an annotation changed without a new generation (kubectl annotate)', () => {
    expect(judgeLanded(snap(deployment(3)), { object: deployment(3, { annotations: { owner: 'x' } }) }).kind).toBe('landed');
  });
  it('landed when the object is gone, replaced, or created', () => {
    expect(judgeLanded(snap(deployment(3)), { absent: true }).kind).toBe('landed');
    expect(judgeLanded(snap(deployment(3)), { object: deployment(1, { uid: 'u2' }) }).kind).toBe('landed');
    expect(judgeLanded(snap(undefined, true), { object: deployment(1) }).kind).toBe('landed');
    expect(judgeLanded(snap(undefined, true), { absent: true }).kind).toBe('not-landed');
  });
  it('objects without a generation (a Node) are judged by their spec', () => {
    const node = (unschedulable: boolean): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n' }, spec: { unschedulable } });
    expect(judgeLanded(snap(node(false)), { object: node(true) }).kind).toBe('landed');
    expect(judgeLanded(snap(node(false)), { object: node(false) }).kind).toBe('not-landed');
  });
  it('unknown when the cluster cannot be read or there is no snapshot (Secrets)', () => {
    expect(judgeLanded(snap(deployment(3)), { error: 'connection refused' })).toMatchObject({ kind: 'unknown', why: expect.stringMatching(/connection refused/) });
    expect(judgeLanded(snap(), { object: deployment(3) }).kind).toBe('unknown');
  });
  it('several targets must agree', () => {
    expect(judgeAllLanded([{ kind: 'landed', why: 'a' }, { kind: 'not-landed', why: 'b' }]).kind).toBe('unknown');
    expect(judgeAllLanded([{ kind: 'landed', why: 'a' }, { kind: 'landed', why: 'b' }]).kind).toBe('landed');
    expect(judgeAllLanded([]).kind).toBe('unknown');
  });
});
