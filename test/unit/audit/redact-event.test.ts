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

  it('redacts env values and Secret data inside JSON in a command line (the rollback patch built from a snapshot)', () => {
    const body = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'db', image: 'pg:16', env: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'MODE', value: 'primary' }] }] } } } });
    const secret = JSON.stringify({ kind: 'Secret', apiVersion: 'v1', metadata: { name: 's' }, data: { 'tls.key': 'c2VjcmV0LWtleQ==' } });
    const command = `kubectl patch statefulset/db -n shop --type=strategic -p '${body}'`;
    const safe = redactAuditEvent({ ...base, type: 'rollback', data: { command, stdout: `applied ${secret} {not json`, steps: [{ command }] } });
    const text = JSON.stringify(safe);
    expect(text).not.toMatch(/hunter2|c2VjcmV0LWtleQ==/);
    expect(String(safe.data.command)).toContain('"MODE","value":"primary"'); // only the secret-named value goes
    expect(String(safe.data.command)).toMatch(/^kubectl patch statefulset\/db -n shop --type=strategic -p '\{.*\}'$/);
    expect(String(safe.data.stdout)).toMatch(/\{not json$/);
  });

  it('leaves strings with braces that are not JSON alone', () => {
    const safe = redactAuditEvent({ ...base, data: { detail: 'jsonpath={.spec.replicas} and {"a": 1' } });
    expect(safe.data.detail).toBe('jsonpath={.spec.replicas} and {"a": 1');
  });
});
