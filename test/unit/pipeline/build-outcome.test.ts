import { describe, expect, it } from 'vitest';
import type { ActionOutcome, ExecutionReport } from '../../../backend/src/domain/execution-report.js';
import type { RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { buildOutcome, classifyOutcome, type OutcomeInput } from '../../../backend/src/pipeline/build-outcome.js';

const timings = { receivedAt: '2026-12-06T00:00:00.000Z', toDecisionMs: 10, toFirstWriteMs: 20, toVerifiedFixMs: 30, totalMs: 40 };
const proposal = (over: Partial<RemediationProposal> = {}): RemediationProposal =>
  ({ incidentId: 'P1', analyzer: 'runbook', rootCause: 'bad image', confidence: 0.9, evidence: [], escalate: { required: false }, actions: [], ...over }) as RemediationProposal;
const action = (status: ActionOutcome['status'], over: Partial<ActionOutcome> = {}): ActionOutcome => ({
  index: 0,
  command: 'kubectl rollout undo deployment/web -n shop',
  level: 'medium',
  reasons: [],
  decision: { kind: 'execute', mode: 'yolo', reason: 'ok' },
  status,
  detail: status,
  ...over,
});
const ran = { exitCode: 0, durationMs: 5, timedOut: false, truncated: false, stdout: '', stderr: '' };
const report = (outcomes: ActionOutcome[], over: Partial<ExecutionReport> = {}): ExecutionReport => ({ incidentId: 'P1', mode: 'yolo', outcomes, escalate: false, escalationReasons: [], ...over });
const input = (over: Partial<OutcomeInput>): OutcomeInput => ({ incidentId: 'P1', run: 'triage', mode: 'yolo', timings, proposal: proposal({ actions: [{} as never] }), ...over });

describe('classifyOutcome: first match wins', () => {
  it.each([
    ['fixed', input({ report: report([action('verified', { execution: ran })]) })],
    ['rolled_back', input({ report: report([action('rolled-back', { execution: ran, rollback: { attempted: true, restored: true, detail: 'ok', steps: [] } })], { escalate: true, escalationReasons: ['did not hold'] }) })],
    ['escalated', input({ report: report([action('failed', { execution: ran })], { escalate: true, escalationReasons: ['rollback failed'] }) })],
    ['awaiting_approval', input({ report: report([action('awaiting-approval')], { approval: { id: 'apr-1', planHash: 'h' } as never }) })],
    ['previewed', input({ mode: 'plan', report: report([action('previewed')], { mode: 'plan' }) })],
    ['refused', input({ report: report([action('refused')], { escalate: true, escalationReasons: ['forbidden'] }) })],
    ['refused', input({ report: report([action('blocked')], { escalate: true, escalationReasons: ['kill switch'] }) })],
    // Another incident holds or just changed the target: not a policy refusal, a pointer for the human.
    ['escalated', input({ report: report([action('blocked', { deferredTo: 'P0' })], { escalate: true, escalationReasons: ['action 1 blocked: another run is remediating (incident P0, worker w-1)'] }) })],
    ['no_action', input({ proposal: proposal(), report: report([], { escalate: true, escalationReasons: ['no action proposed'] }) })],
    ['escalated', input({ proposal: proposal({ escalate: { required: true, reason: 'unknown' } }), report: report([], { escalate: true, escalationReasons: ['diagnosis: unknown'] }) })],
    ['escalated', input({ report: report([action('skipped')], { escalate: true, escalationReasons: ['every action skipped'] }) })],
    ['escalated', input({ error: 'TransientError: Redis down' })],
    ['refused', input({ run: 'approval', refusal: 'the kill switch is on' })],
  ])('%s', (expected, given) => {
    expect(classifyOutcome(given).outcome).toBe(expected);
  });

  it('a fix that verified and a later write that failed is not "fixed"', () => {
    expect(classifyOutcome(input({ report: report([action('verified', { execution: ran }), action('failed', { index: 1, execution: ran })], { escalate: true, escalationReasons: ['x'] }) })).outcome).toBe('escalated');
  });
});

describe('buildOutcome', () => {
  it('keeps the verified-fix timing only for fixed, and redacts command text', () => {
    const o = buildOutcome(input({ report: report([action('refused', { command: 'kubectl get pods --token=abcdef0123456789abcdef' })], { escalate: true, escalationReasons: ['forbidden'] }) }));
    expect(o.outcome).toBe('refused');
    expect(o.timings.toVerifiedFixMs).toBeUndefined();
    expect(o.commands[0].command).not.toContain('abcdef0123456789abcdef');
  });
});

describe('an incident deferring to the one that handles its target', () => {
  it('ends escalated, its reasons naming that incident', () => {
    const o = classifyOutcome(input({ report: report([action('blocked', { deferredTo: 'PHANDLER' })], { escalate: true, escalationReasons: ['action 1 blocked: c/shop/deployments/web is cooling down until 2026-12-06T00:05:00.000Z (TARGET_COOLDOWN_SECONDS) after incident PHANDLER changed it'] }) }));
    expect(o.outcome).toBe('escalated');
    expect(o.reasons.join(' ')).toContain('incident PHANDLER');
  });
});
