import { describe, expect, it } from 'vitest';
import { remediationProposalSchema, validateProposalInput } from '../../../backend/src/diagnose/proposal-schema.js';
import { refOfIncidentTarget } from '../../../backend/src/execute/target-of.js';

const action = {
  command: 'kubectl rollout undo deployment/web -n shop',
  description: 'roll back',
  confidence: 0.9,
  expectedEffect: 'healthy again',
  postcondition: { type: 'rolloutComplete', namespace: 'shop', deployment: 'web' },
};
const base = { rootCause: 'bad rollout', confidence: 0.8, evidence: [{ fact: 'crash', source: 'get_pod_status' }], escalate: false, actions: [action] };

describe('validateProposalInput', () => {
  it('normalises one postcondition into a list and a boolean escalate into an object', () => {
    const v = validateProposalInput(base);
    expect(v.ok && v.proposal.actions[0].postconditions).toEqual([{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }]);
    expect(v.ok && v.proposal.escalate).toEqual({ required: false });
  });

  it('accepts a postcondition list and an escalate object', () => {
    const v = validateProposalInput({
      ...base,
      escalate: { required: false },
      actions: [{ ...action, postcondition: [{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }, { type: 'noCrashLoop', namespace: 'shop', selector: 'app=web', windowSeconds: 30 }] }],
    });
    expect(v.ok && v.proposal.actions[0].postconditions).toHaveLength(2);
  });

  it('accepts an escalation with no action', () => {
    const v = validateProposalInput({ ...base, escalate: true, escalationReason: 'missing secret', actions: [] });
    expect(v.ok && v.proposal.escalate).toEqual({ required: true, reason: 'missing secret' });
  });

  it.each([
    ['a pipe', { ...base, actions: [{ ...action, command: 'kubectl get pods | grep web' }] }, /shell syntax/],
    ['command substitution', { ...base, actions: [{ ...action, command: 'kubectl delete pod $(whoami)' }] }, /shell syntax/],
    ['a newline', { ...base, actions: [{ ...action, command: 'kubectl get pods\nrm -rf /' }] }, /shell syntax/],
    ['not kubectl', { ...base, actions: [{ ...action, command: 'helm rollback web 1' }] }, /kubectl/],
    ['confidence above 1', { ...base, confidence: 1.5 }, /confidence/],
    ['no actions and no escalation', { ...base, actions: [] }, /must escalate/],
    ['an unknown postcondition', { ...base, actions: [{ ...action, postcondition: { type: 'vibesGood' } }] }, /postcondition/],
    ['a missing postcondition', { ...base, actions: [{ ...action, postcondition: undefined }] }, /postcondition/],
    ['too many actions', { ...base, actions: Array(6).fill(action) }, /actions/],
  ])('rejects %s', (_name, input, message) => {
    const v = validateProposalInput(input);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.errors.join('\n')).toMatch(message);
  });
});

describe('remediationProposalSchema (the proposal as it leaves diagnosis)', () => {
  const domainAction = { command: action.command, description: 'roll back', confidence: 0.9, expectedEffect: 'healthy', postconditions: [{ type: 'none' }] };
  const proposal = { incidentId: 'P1', analyzer: 'runbook', rootCause: 'x', confidence: 0.9, evidence: [], escalate: { required: false }, actions: [domainAction] };

  it('accepts a well-formed proposal', () => {
    expect(remediationProposalSchema.safeParse(proposal).success).toBe(true);
  });

  it('accepts Job and CronJob targets with an escalation in parts, and the audit ref names their API group', () => {
    for (const kind of ['Job', 'CronJob'] as const) {
      const escalation = { ...proposal, target: { namespace: 'batch', kind, name: 'nightly' }, actions: [], escalate: { required: true, reason: 'x', humanStep: 'fix it', wouldDo: 'nothing' } };
      expect(remediationProposalSchema.safeParse(escalation).success).toBe(true);
      expect(refOfIncidentTarget(escalation.target)).toEqual({ kind, name: 'nightly', namespace: 'batch', apiVersion: 'batch/v1' });
    }
  });

  it('rejects an action without postconditions or with shell syntax', () => {
    expect(remediationProposalSchema.safeParse({ ...proposal, actions: [{ ...domainAction, postconditions: [] }] }).success).toBe(false);
    expect(remediationProposalSchema.safeParse({ ...proposal, actions: [{ ...domainAction, command: 'kubectl get pods; reboot' }] }).success).toBe(false);
  });
});
