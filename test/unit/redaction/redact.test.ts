import { describe, expect, it } from 'vitest';
import { redactEnvValue, redactText, redactValue } from '../../../backend/src/redaction/redact.js';

describe('redactText', () => {
  it.each([
    ['Authorization: Bearer abcdef1234567890abcdef', 'abcdef1234567890abcdef'],
    ['connecting with password=hunter22 to db', 'hunter22'],
    ['DATABASE_URL=postgres://app:s3cretpw@db:5432/x', 's3cretpw'],
    ['token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig', 'eyJhbGciOiJIUzI1NiJ9'],
    ['    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=', 'LS0tLS1CRUdJTiBSU0E'],
    ['key is sk-ant-api03-AAAAAAAAAAAAAAAAAAAA', 'sk-ant-api03'],
    ['{"api_key": "abc123def456"}', 'abc123def456'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', 'MIIEow'],
  ])('hides the credential in %j', (input, secret) => {
    expect(redactText(input)).not.toContain(secret);
  });

  it('keeps ordinary text', () => {
    const line = 'Back-off restarting failed container web in pod web-7d9f (exit code 1)';
    expect(redactText(line)).toBe(line);
  });
});

describe('redactValue', () => {
  it('keeps token counts but hides token values', () => {
    const out = redactValue({ usage: { inputTokens: 1200, cache_read_input_tokens: 30 }, token: 'abc123', apiToken: 42 });
    expect(out).toEqual({ usage: { inputTokens: 1200, cache_read_input_tokens: 30 }, token: '[REDACTED]', apiToken: '[REDACTED]' });
  });

  it('hides secret-named keys and scans nested strings', () => {
    const out = redactValue({ env: [{ name: 'X', value: 'Bearer abcdefghijklmnop' }], apiToken: 'xyz', nested: { password: 5 } });
    expect(JSON.stringify(out)).not.toMatch(/abcdefghijklmnop|xyz|"password":5/);
  });
});

describe('redactEnvValue', () => {
  it('hides secret-looking names and high-entropy values, keeps plain ones', () => {
    expect(redactEnvValue('DB_PASSWORD', 'pw')).toBe('[REDACTED]');
    expect(redactEnvValue('SOMETHING', 'A1b2C3d4E5f6G7h8I9j0K1l2M3')).toBe('[REDACTED]');
    expect(redactEnvValue('LOG_LEVEL', 'debug')).toBe('debug');
  });
});
