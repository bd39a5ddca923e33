import { describe, expect, it } from 'vitest';
import { parseApprovalNote } from '../../../backend/src/pagerduty/parse-approval-note.js';

describe('approval notes', () => {
  it.each([
    ['/approve apr-7f3a', { decision: 'approve', approvalId: 'apr-7f3a' }],
    ['  /APPROVE apr-7f3a  \nlooks right to me', { decision: 'approve', approvalId: 'apr-7f3a' }],
    ['/approve apr-7f3a 9C1E0B77', { decision: 'approve', approvalId: 'apr-7f3a', planHash: '9c1e0b77' }],
    ['/deny apr-7f3a wrong deployment', { decision: 'deny', approvalId: 'apr-7f3a', reason: 'wrong deployment' }],
    ['/deny apr-7f3a', { decision: 'deny', approvalId: 'apr-7f3a' }],
  ])('%j is a decision', (content, expected) => {
    expect(parseApprovalNote(content)).toEqual(expected);
  });

  it.each([
    'Looking into it; /approve apr-7f3a later',
    'first line\n/approve apr-7f3a',
    '/approve',
    '/approve apr-7f3a yes please',
    '/approve apr 7f3a',
    '/approved apr-7f3a',
    '/approve $(rm -rf /)',
    `/approve ${'a'.repeat(129)}`,
  ])('%j is not a decision', (content) => {
    expect(parseApprovalNote(content)).toBeUndefined();
  });
});
