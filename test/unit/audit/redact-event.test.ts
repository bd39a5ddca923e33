import { describe, expect, it } from 'vitest';
import { MAX_AUDIT_STRING, redactAuditEvent } from '../../../backend/src/audit/redact-event.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';

const base: AuditEvent = { ts: '2026-01-01T00:00:00Z', type: 'execution', incidentId: 'INC1', actor: 'agent', data: {} };

describe('redactAuditEvent', () => {
  it('hides credentials in strings and secret-named fields, and leaves the input untouched', () => {
    const event = { ...base, data: { stderr: 'Authorization: Bearer abcdefghijklmnop1234', env: { DB_PASSWORD: 'pw-123' }, command: 'kubectl get pods' } };
    const safe = redactAuditEvent(event);
    expect(JSON.stringify(safe)).not.toMatch(/abcdefghijklmnop1234|pw-123/);
    expect(safe.data.command).toBe('kubectl get pods');
    expect(event.data.env.DB_PASSWORD).toBe('pw-123');
  });

  it('cuts very long strings, saying how much', () => {
    const safe = redactAuditEvent({ ...base, data: { stdout: 'x'.repeat(MAX_AUDIT_STRING + 500), lines: ['y'.repeat(MAX_AUDIT_STRING + 1)] } });
    expect(String(safe.data.stdout)).toHaveLength(MAX_AUDIT_STRING + '…[500 more characters cut]'.length);
    expect(String((safe.data.lines as string[])[0])).toMatch(/…\[1 more characters cut\]$/);
  });
});
