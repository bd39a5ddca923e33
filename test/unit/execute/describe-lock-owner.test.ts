// A run refused by the target lock names the incident holding it: the owner is `${workerId}:${incidentId}`.
import { describe, expect, it } from 'vitest';
import { describeLockOwner } from '../../../backend/src/execute/guarded-write.js';

describe('describeLockOwner', () => {
  it('names the incident and the worker', () => {
    expect(describeLockOwner('worker-4242:PABC123')).toBe('incident PABC123, worker worker-4242');
  });
  it('keeps an incident id that itself contains colons whole (worker ids have none)', () => {
    expect(describeLockOwner('mcp-api-7:mcp:session:1')).toBe('incident mcp:session:1, worker mcp-api-7');
  });
  it('says nothing when the lock is free, and shows an owner of another shape verbatim', () => {
    expect(describeLockOwner(undefined)).toBeUndefined();
    expect(describeLockOwner('legacy-owner')).toBe('held by legacy-owner');
  });
});
