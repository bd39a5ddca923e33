import { describe, expect, it } from 'vitest';
import { approvalWaysOf } from '../../../backend/src/app/approval-ways.js';

const approval = { id: 'apr-1', planHash: 'ab'.repeat(32) };

describe('approvalWaysOf (the ways an approval announcement lists)', () => {
  it('with APPROVAL_TOKEN and PUBLIC_URL the CLI way goes through the daemon API (--url), even without Redis', () => {
    const ways = approvalWaysOf({ APPROVAL_TOKEN: 't'.repeat(32), PUBLIC_URL: 'https://agent.example.com/' })(approval);
    expect(ways).toContain(`CLI: APPROVAL_TOKEN=<token> oncall-agent approve apr-1 --plan-hash ${approval.planHash} --url https://agent.example.com (or: deny apr-1 --url …)`);
    expect(ways).toContain('API: POST https://agent.example.com/approvals/apr-1/approve with {"approver": "<you>"}');
  });

  it('with Redis only, the CLI way goes through Redis; with neither, no CLI way is offered', () => {
    expect(approvalWaysOf({ REDIS_URL: 'redis://r:6379' })(approval)).toContain(`CLI: oncall-agent approve apr-1 --plan-hash ${approval.planHash} (or: oncall-agent deny apr-1)`);
    const none = approvalWaysOf({})(approval);
    expect(none.some((w) => w.startsWith('CLI:'))).toBe(false);
    expect(none).toEqual(['PagerDuty: add a note whose first line is /approve apr-1 (or /deny apr-1 <reason>)']);
    // APPROVAL_TOKEN without PUBLIC_URL: the note cannot say where the daemon is, so the --url way is not offered.
    expect(approvalWaysOf({ APPROVAL_TOKEN: 't'.repeat(32) })(approval).some((w) => w.startsWith('CLI:'))).toBe(false);
  });

  it('the workflow action is listed only with PAGERDUTY_ACTIONS_SECRET', () => {
    expect(approvalWaysOf({ PAGERDUTY_ACTIONS_SECRET: 's'.repeat(32) })(approval)).toContain('PagerDuty: run the "Approve agent plan" incident workflow or action on this incident');
  });
});
