import { describe, expect, it } from 'vitest';
import { accessPolicyFrom, checkMcpRequest, hostnameOf } from '../../../backend/src/mcp/check-mcp-request.js';

const policy = accessPolicyFrom({ HOST: '0.0.0.0', PUBLIC_URL: 'https://oncall.example.com/base', MCP_ALLOWED_HOSTS: ['Agent.Internal'], MCP_ALLOWED_ORIGINS: ['https://console.example.com/'] }, 'tok-123');
const auth = 'Bearer tok-123';

describe('checkMcpRequest', () => {
  it.each([
    [{ host: 'localhost:3000', authorization: auth }, true],
    [{ host: '127.0.0.1', authorization: auth }, true],
    [{ host: '[::1]:3000', authorization: auth }, true],
    [{ host: 'oncall.example.com', authorization: auth }, true],
    [{ host: 'agent.internal:8443', authorization: auth }, true],
    [{ host: 'localhost', origin: 'http://127.0.0.1:6274', authorization: auth }, true],
    [{ host: 'localhost', origin: 'https://console.example.com', authorization: auth }, true],
    [{ host: 'localhost', authorization: 'bearer tok-123' }, true],
  ])('lets %o through', (headers, ok) => {
    expect(checkMcpRequest(headers, policy).ok).toBe(ok);
  });

  it.each([
    [{ authorization: auth }, 403],
    [{ host: '0.0.0.0:3000', authorization: auth }, 403],
    [{ host: 'evil.example.com', authorization: auth }, 403],
    [{ host: 'localhost.evil.example.com', authorization: auth }, 403],
    [{ host: 'localhost', origin: 'https://evil.example.com', authorization: auth }, 403],
    [{ host: 'localhost', origin: 'null', authorization: auth }, 403],
    [{ host: 'localhost' }, 401],
    [{ host: 'localhost', authorization: 'Bearer tok-1234' }, 401],
    [{ host: 'localhost', authorization: 'Bearer tok-12' }, 401],
    [{ host: 'localhost', authorization: 'Basic tok-123' }, 401],
    [{ host: 'localhost', authorization: 'Bearer ' }, 401],
  ])('refuses %o with %i', (headers, status) => {
    const verdict = checkMcpRequest(headers, policy);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.status).toBe(status);
  });

  it('adds a concrete HOST, not a wildcard bind address', () => {
    expect(accessPolicyFrom({ HOST: '10.1.2.3', MCP_ALLOWED_HOSTS: [], MCP_ALLOWED_ORIGINS: [] }, 't').hosts.has('10.1.2.3')).toBe(true);
    expect(accessPolicyFrom({ HOST: '::', MCP_ALLOWED_HOSTS: [], MCP_ALLOWED_ORIGINS: [] }, 't').hosts.has('::')).toBe(false);
  });

  it('takes the host name out of a Host header', () => {
    expect(hostnameOf('Example.COM:80')).toBe('example.com');
    expect(hostnameOf('[::1]:3000')).toBe('[::1]');
    expect(hostnameOf('[::1]')).toBe('[::1]');
  });
});
