import type { IncidentOutcome, OutcomeCommand } from '../../backend/src/domain/outcome.js';

// IncidentOutcome values as the pipeline writes them, for write-back and note tests.

const RECEIVED = '2026-12-06T02:00:00.000Z';

export function rollbackCommand(overrides: Partial<OutcomeCommand> = {}): OutcomeCommand {
  return { index: 0, command: 'kubectl rollout undo deployment/web -n shop', risk: 'medium', decision: 'execute', status: 'verified', detail: 'rollout complete: 2/2 updated, ready and available', exitCode: 0, verdict: 'verified', ...overrides };
}

export function fixedOutcome(overrides: Partial<IncidentOutcome> = {}): IncidentOutcome {
  return {
    incidentId: 'PINC1',
    outcome: 'fixed',
    run: 'triage',
    mode: 'yolo',
    analyzer: 'runbook',
    target: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    rootCause: 'the last rollout set an image that does not exist (nginx:does-not-exist)',
    confidence: 0.92,
    reasons: [],
    commands: [rollbackCommand()],
    timings: { receivedAt: RECEIVED, toDecisionMs: 900, toFirstWriteMs: 1_200, toVerifiedFixMs: 14_000, totalMs: 15_000 },
    ...overrides,
  };
}

export function awaitingApprovalOutcome(overrides: Partial<IncidentOutcome> = {}): IncidentOutcome {
  return fixedOutcome({
    outcome: 'awaiting_approval',
    mode: 'approval',
    approval: { id: 'apr-7f3a', planHash: '9c1e0b77d2aa4e1f' },
    commands: [rollbackCommand({ risk: 'high', decision: 'approval', status: 'awaiting-approval', detail: 'high risk needs a human', exitCode: undefined, verdict: undefined })],
    timings: { receivedAt: RECEIVED, toDecisionMs: 900, totalMs: 1_500 },
    ...overrides,
  });
}

export function previewedOutcome(overrides: Partial<IncidentOutcome> = {}): IncidentOutcome {
  return fixedOutcome({
    outcome: 'previewed',
    mode: 'plan',
    commands: [rollbackCommand({ decision: 'preview', status: 'previewed', detail: 'would execute in yolo mode', exitCode: undefined, verdict: undefined })],
    timings: { receivedAt: RECEIVED, toDecisionMs: 900, totalMs: 1_000 },
    ...overrides,
  });
}

export function rolledBackOutcome(overrides: Partial<IncidentOutcome> = {}): IncidentOutcome {
  return fixedOutcome({
    outcome: 'rolled_back',
    reasons: ['verification failed: rollout not complete: 0/2 ready'],
    commands: [rollbackCommand({ status: 'rolled-back', detail: 'rollout not complete: 0/2 ready', verdict: 'failed', rollback: { restored: true, detail: 'restored the snapshot' } })],
    timings: { receivedAt: RECEIVED, toDecisionMs: 900, toFirstWriteMs: 1_200, totalMs: 130_000 },
    ...overrides,
  });
}
