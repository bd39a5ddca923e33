import { describe, expect, it } from 'vitest';
import type { IncidentOutcome } from '../../../backend/src/domain/outcome.js';
import { resolveMode } from '../../../backend/src/execute/resolve-mode.js';
import { capModes, stricterMode } from '../../../backend/src/mcp/remediation-engine.js';
import { remediateOutputSchema, actionOutputSchema, toActionOutput, toRemediateOutput } from '../../../backend/src/mcp/remediate-output.js';

const base: IncidentOutcome = {
  incidentId: 'mcp-1234567890',
  outcome: 'fixed',
  run: 'triage',
  mode: 'yolo',
  analyzer: 'runbook',
  rootCause: 'bad image',
  confidence: 0.9,
  reasons: [],
  commands: [{ index: 0, command: 'kubectl rollout undo deployment/api -n shop', risk: 'medium', decision: 'execute', status: 'verified', detail: 'rollout complete', exitCode: 0, verdict: 'verified' }],
  timings: { receivedAt: '2026-01-01T00:00:00Z', totalMs: 10 },
};

describe('toRemediateOutput', () => {
  it.each([
    ['fixed', 'success'],
    ['previewed', 'success'],
    ['no_action', 'success'],
    ['awaiting_approval', 'pending'],
    ['rolled_back', 'failed'],
    ['escalated', 'failed'],
    ['refused', 'failed'],
  ] as const)('%s → %s, matching the output schema', (outcome, status) => {
    const out = toRemediateOutput('mcp-1234567890', { ...base, outcome }, ['pod api-1 cannot pull its image']);
    expect(out.status).toBe(status);
    expect(remediateOutputSchema.safeParse(out).success).toBe(true);
  });

  it('reports what ran, the plan and the highest risk', () => {
    const out = toRemediateOutput('mcp-1234567890', { ...base, commands: [...base.commands, { index: 1, command: 'kubectl scale deployment/api --replicas=3 -n shop', risk: 'high', decision: 'approval', status: 'awaiting-approval', detail: 'needs a human' }] }, ['fact']);
    expect(out.executed).toBe(true);
    expect(out.results).toEqual([{ command: base.commands[0].command, exitCode: 0, verified: true, detail: 'rollout complete' }]);
    expect(out.remediation.risk).toBe('high');
    expect(out.analysis).toEqual({ rootCause: 'bad image', confidence: 0.9, factors: ['fact'] });
  });

  it('a preview executed nothing', () => {
    const out = toRemediateOutput('mcp-1234567890', { ...base, outcome: 'previewed', mode: 'plan', commands: [{ index: 0, command: 'kubectl rollout undo deployment/api -n shop', risk: 'medium', decision: 'preview', status: 'previewed', detail: 'plan mode' }] });
    expect(out).toMatchObject({ executed: false, remediation: { summary: expect.stringMatching(/nothing executed/) } });
    expect(out.results).toBeUndefined();
  });

  it('an action answer carries risk, decision, result and verification', () => {
    const out = toActionOutput('mcp-1234567890', 'x', { ...base, commands: [{ ...base.commands[0], verdict: 'failed', status: 'rolled-back', rollback: { restored: true, detail: 'restored' } }], outcome: 'rolled_back' });
    expect(out).toMatchObject({ status: 'failed', risk: 'medium', decision: 'execute', result: { status: 'rolled-back', exitCode: 0 }, verification: { status: 'failed', rolledBack: true } });
    expect(actionOutputSchema.safeParse(out).success).toBe(true);
    expect(toActionOutput('mcp-1234567890', 'kubectl cordon n1', undefined)).toMatchObject({ status: 'pending', outcome: 'running', command: 'kubectl cordon n1' });
  });
});

describe('the MCP mode cap only narrows', () => {
  const overrides = [
    { scope: 'namespace' as const, key: 'dev', mode: 'yolo' as const },
    { scope: 'namespace' as const, key: 'prod', mode: 'plan' as const },
  ];
  const modes = ['yolo', 'approval', 'plan'] as const;
  it.each(modes.flatMap((base) => modes.map((cap) => [base, cap] as const)))('EXECUTION_MODE=%s, cap %s', (base, cap) => {
    const capped = capModes({ EXECUTION_MODE: base, MODE_OVERRIDES: overrides }, cap);
    for (const namespace of ['dev', 'prod', 'other']) {
      const configured = resolveMode(base, overrides, { namespace });
      const effective = resolveMode(capped.EXECUTION_MODE, capped.MODE_OVERRIDES, { namespace });
      expect(effective).toBe(stricterMode(configured, cap));
    }
  });
});
