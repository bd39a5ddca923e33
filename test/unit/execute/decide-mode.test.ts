import { describe, expect, it } from 'vitest';
import { decideMode, type DecideInput } from '../../../backend/src/execute/decide-mode.js';
import { resolveMode } from '../../../backend/src/execute/resolve-mode.js';
import { isProtectedNamespace, protectedNamespaceSet } from '../../../backend/src/kube/namespaces.js';
import type { DecisionKind, ExecutionMode } from '../../../backend/src/domain/decision.js';
import type { RiskLevel } from '../../../backend/src/domain/risk.js';

const base: DecideInput = {
  level: 'medium',
  reasons: ['rollout undo is medium risk'],
  readOnly: false,
  confidence: 0.85,
  mode: 'yolo',
  protectedNamespace: false,
  destructiveEnabled: true,
  breakerOpen: false,
  killSwitch: false,
  thresholds: { yoloMin: 0.8, yoloMinHigh: 0.9, skipBelow: 0.7 },
};

const d = (over: Partial<DecideInput>) => decideMode({ ...base, ...over });

describe('decideMode: risk × confidence in yolo', () => {
  const table: Array<[RiskLevel, number, DecisionKind]> = [
    ['low', 0.8, 'execute'],
    ['low', 0.79, 'approval'],
    ['low', 0.69, 'skip'],
    ['medium', 0.8, 'execute'],
    ['medium', 0.75, 'approval'],
    ['medium', 0.7, 'approval'],
    ['medium', 0.5, 'skip'],
    ['high', 0.9, 'execute'],
    ['high', 0.89, 'approval'],
    ['high', 0.8, 'approval'],
    ['high', 0.6, 'skip'],
    ['forbidden', 1, 'refuse'],
    ['forbidden', 0.1, 'refuse'],
  ];
  it.each(table)('%s risk, confidence %s → %s', (level, confidence, kind) => {
    expect(d({ level, confidence }).kind).toBe(kind);
  });
});

describe('decideMode: every mode × safety switch', () => {
  type Row = [string, Partial<DecideInput>, Record<ExecutionMode, DecisionKind>, RegExp];
  const table: Row[] = [
    ['forbidden', { level: 'forbidden', confidence: 1 }, { yolo: 'refuse', approval: 'refuse', plan: 'refuse' }, /forbidden/],
    ['write gate closed, medium', { destructiveEnabled: false }, { yolo: 'refuse', approval: 'refuse', plan: 'preview' }, /ALLOW_MEDIUM_AND_HIGH_RISK_WRITES=false allows only low-risk commands/],
    ['write gate closed, high', { destructiveEnabled: false, level: 'high', confidence: 0.99 }, { yolo: 'refuse', approval: 'refuse', plan: 'preview' }, /ALLOW_MEDIUM_AND_HIGH_RISK_WRITES=false allows only low-risk commands/],
    ['write gate closed, low', { destructiveEnabled: false, level: 'low', readOnly: true }, { yolo: 'execute', approval: 'approval', plan: 'preview' }, /./],
    ['kill switch, write', { killSwitch: true }, { yolo: 'refuse', approval: 'refuse', plan: 'preview' }, /kill switch/],
    ['kill switch, read-only', { killSwitch: true, level: 'low', readOnly: true }, { yolo: 'execute', approval: 'approval', plan: 'preview' }, /./],
    ['breaker open', { breakerOpen: true, confidence: 0.99 }, { yolo: 'approval', approval: 'approval', plan: 'preview' }, /./],
    ['breaker open, read-only', { breakerOpen: true, level: 'low', readOnly: true }, { yolo: 'execute', approval: 'approval', plan: 'preview' }, /./],
    ['protected namespace', { protectedNamespace: true, level: 'high', confidence: 1 }, { yolo: 'approval', approval: 'approval', plan: 'preview' }, /protected|human/],
    ['namespace not given', { namespaceUnknown: true, confidence: 0.99 }, { yolo: 'approval', approval: 'approval', plan: 'preview' }, /no namespace given|human/],
    ['namespace not given, read-only', { namespaceUnknown: true, level: 'low', readOnly: true }, { yolo: 'execute', approval: 'approval', plan: 'preview' }, /./],
    ['low confidence', { confidence: 0.3 }, { yolo: 'skip', approval: 'skip', plan: 'preview' }, /SKIP_BELOW_CONFIDENCE/],
    ['confident medium', { confidence: 0.95 }, { yolo: 'execute', approval: 'approval', plan: 'preview' }, /./],
  ];
  for (const [name, over, expected, reason] of table) {
    for (const mode of ['yolo', 'approval', 'plan'] as const) {
      it(`${name} in ${mode} → ${expected[mode]}`, () => {
        const decision = d({ ...over, mode });
        expect(decision.kind).toBe(expected[mode]);
        expect(decision.mode).toBe(mode);
        expect(decision.reason).toMatch(reason);
      });
    }
  }

  it('plan mode tells what yolo would do', () => {
    expect(d({ mode: 'plan', confidence: 0.95 }).wouldBe).toBe('execute');
    expect(d({ mode: 'plan', confidence: 0.75 }).wouldBe).toBe('approval');
    expect(d({ mode: 'plan', breakerOpen: true, confidence: 0.95 }).wouldBe).toBe('approval');
    expect(d({ mode: 'plan', destructiveEnabled: false }).wouldBe).toBe('refuse');
    expect(d({ mode: 'plan', killSwitch: true }).wouldBe).toBe('refuse');
    expect(d({ mode: 'plan', confidence: 0.5 }).wouldBe).toBe('skip');
    expect(d({ mode: 'plan', confidence: 0.75 }).reason).toMatch(/both ask a human/);
  });

  it("a write outside the incident's namespace goes to a human in YOLO whatever the confidence", () => {
    const outside = { outsideIncident: { namespace: 'payments', incidentNamespace: 'shop' } };
    const decision = d({ ...outside, confidence: 1 });
    expect(decision).toMatchObject({ kind: 'approval', reason: "acts in namespace payments, not the incident's namespace shop: a human decides" });
    expect(d({ ...outside, mode: 'plan', confidence: 1 }).wouldBe).toBe('approval');
    expect(d({ ...outside, level: 'forbidden' }).kind).toBe('refuse');
    expect(d({ ...outside, confidence: 0.1 }).kind).toBe('skip');
  });

  it('an unreadable kill switch refuses writes and says why, not "run oncall-agent resume"', () => {
    const unreadable = { killSwitch: true, killSwitchUnreadable: 'cannot read the kill switch: safety store (redis) get failed: Connection is closed.' };
    for (const mode of ['yolo', 'approval'] as const) {
      const decision = d({ ...unreadable, mode, confidence: 0.99 });
      expect(decision.kind).toBe('refuse');
      expect(decision.reason).toMatch(/safety store cannot be read.*fail closed.*Connection is closed/);
      expect(decision.reason).not.toMatch(/oncall-agent resume/);
    }
    expect(d({ ...unreadable, mode: 'plan' }).wouldBe).toBe('refuse');
    expect(d({ ...unreadable, readOnly: true, level: 'low' }).kind).toBe('execute');
  });

  it('the strongest "no" wins when several switches apply', () => {
    expect(d({ level: 'forbidden', killSwitch: true, breakerOpen: true }).reason).toMatch(/forbidden/);
    expect(d({ killSwitch: true, destructiveEnabled: false, breakerOpen: true }).reason).toMatch(/kill switch/);
    expect(d({ destructiveEnabled: false, confidence: 0.1 }).kind).toBe('refuse');
    // A protected namespace goes to a human whatever the confidence (issue 5), even below the skip threshold.
    expect(d({ protectedNamespace: true, breakerOpen: true, confidence: 0.1 }).kind).toBe('approval');
    expect(d({ confidence: 0.1 }).kind).toBe('skip');
  });
});

describe('decideMode: a human-approved command', () => {
  const approved = (over: Partial<DecideInput>) => d({ mode: 'approval', humanApproved: true, ...over });
  it.each<[string, Partial<DecideInput>, DecisionKind]>([
    ['runs even at low confidence', { confidence: 0.2 }, 'execute'],
    ['runs in a protected namespace', { protectedNamespace: true, level: 'high' }, 'execute'],
    ['never runs when forbidden', { level: 'forbidden' }, 'refuse'],
    ['not with destructive off', { destructiveEnabled: false }, 'refuse'],
    ['not with the kill switch on', { killSwitch: true }, 'refuse'],
    ['not while the breaker is open', { breakerOpen: true }, 'refuse'],
  ])('%s', (_name, over, kind) => {
    expect(approved(over).kind).toBe(kind);
  });
});

describe('resolveMode and protected namespaces', () => {
  const overrides = [
    { scope: 'namespace' as const, key: 'dev', mode: 'yolo' as const },
    { scope: 'namespace' as const, key: 'prod', mode: 'approval' as const },
    { scope: 'service' as const, key: 'PSVC', mode: 'plan' as const },
  ];
  it.each<[string | undefined, string | undefined, ExecutionMode]>([
    ['dev', undefined, 'yolo'],
    ['prod', undefined, 'approval'],
    ['other', undefined, 'plan'],
    ['dev', 'PSVC', 'plan'],
    ['prod', 'POTHER', 'approval'],
  ])('namespace %s, service %s → %s', (namespace, serviceId, mode) => {
    expect(resolveMode('plan', overrides, { namespace, serviceId })).toBe(mode);
  });
  it('flags system namespaces, configured ones and all-namespaces, spelled with any case or stray spaces', () => {
    expect(isProtectedNamespace('kube-system', false, protectedNamespaceSet([]))).toBe(true);
    expect(isProtectedNamespace('Kube-Node-Lease', false, protectedNamespaceSet([]))).toBe(true);
    expect(isProtectedNamespace('payments', false, protectedNamespaceSet(['payments']))).toBe(true);
    expect(isProtectedNamespace('payments', false, protectedNamespaceSet([' Payments ']))).toBe(true);
    expect(isProtectedNamespace('PAYMENTS', false, protectedNamespaceSet(['payments']))).toBe(true);
    expect(isProtectedNamespace('shop', false, protectedNamespaceSet(['payments']))).toBe(false);
    expect(isProtectedNamespace(undefined, true, protectedNamespaceSet([]))).toBe(true);
    expect([...protectedNamespaceSet(['', ' '])]).toEqual(['kube-system', 'kube-public', 'kube-node-lease']);
  });
});

describe('isNamespaceUnknown', () => {
  it.each<[string, boolean]>([
    ['kubectl scale deployment/web --replicas=2', true],
    ['kubectl scale deployment/web -n shop --replicas=2', false],
    ['kubectl cordon n1', false],
    ['kubectl get pods', false],
    ['kubectl label pods -A -l app=web team=x', false],
    ['kubectl delete namespace shop', false],
    // Every target counts, not just the first; objects from a file may carry no namespace (fail closed).
    ['kubectl label node/n1 pod/web a=b', true],
    ['kubectl label nodes n1 a=b', false],
    ['kubectl apply -f deploy.yaml', true],
    ['kubectl apply -k overlays/prod', true],
    ['kubectl apply -f deploy.yaml -n shop', false],
    ['kubectl rollout restart -f deploy.yaml', true],
    ['kubectl delete foos.example.com x', true],
  ])('%s → %s', async (line, unknown) => {
    const { assessCommand } = await import('../../../backend/src/risk/score.js');
    const { isNamespaceUnknown } = await import('../../../backend/src/execute/assess-and-decide.js');
    expect(isNamespaceUnknown(assessCommand(line, { protectedNamespaces: [], denyList: [] }))).toBe(unknown);
  });
});

describe('touchesProtectedNamespace (the mode policy reads the same parse as the scorer)', () => {
  it.each<[string, boolean]>([
    ['kubectl rollout restart deploy/web -n kube-system', true],
    ['kubectl --namespace=payments rollout restart deploy/web', true],
    ['kubectl label pods -A --all a=b', true],
    ['kubectl label ns kube-system a=b', true],
    ['kubectl annotate namespace/payments a=b', true],
    ['kubectl patch Namespace kube-public -p \'{"metadata":{"labels":{"a":"b"}}}\'', true],
    ['kubectl cp kube-system/etcd-0:/tmp/x out', true],
    ['kubectl label ns shop a=b', false],
    ['kubectl rollout restart deploy/web -n shop', false],
    ['kubectl cp shop/web-1:/tmp/x out', false],
  ])('%s → %s', async (line, touches) => {
    const { assessCommand } = await import('../../../backend/src/risk/score.js');
    const { touchesProtectedNamespace } = await import('../../../backend/src/execute/assess-and-decide.js');
    expect(touchesProtectedNamespace(assessCommand(line, { protectedNamespaces: ['payments'], denyList: [] }), ['payments'])).toBe(touches);
  });
});
