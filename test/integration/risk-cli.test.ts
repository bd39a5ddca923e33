import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/oncall-agent.js', import.meta.url));
// A clean environment: no .env from the checkout, only what each test sets.
const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? '', DOTENV_PATH: '/nonexistent/.env', ...extra });
const run = (args: string[], options: { input?: string; extra?: Record<string, string> } = {}) =>
  execa('node', [bin, 'risk', ...args], { env: env(options.extra), extendEnv: false, input: options.input, reject: false });

describe('oncall-agent risk (real binary)', () => {
  it('prints a readable assessment and exits 0 even when forbidden', async () => {
    const high = await run(['--', 'kubectl', 'delete', 'pod', 'web', '-n', 'kube-system']);
    expect(high.exitCode).toBe(0);
    expect(high.stdout).toMatch(/^level: +HIGH$/m);
    expect(high.stdout).toMatch(/^namespace: +kube-system$/m);
    expect(high.stdout).toContain('  - targets a protected namespace: kube-system');

    const forbidden = await run(['kubectl delete ns/prod']);
    expect(forbidden.exitCode).toBe(0);
    expect(forbidden.stdout).toMatch(/^level: +FORBIDDEN$/m);
  });

  it('--json keeps the JSON patch body intact and reads config from the environment', async () => {
    const result = await run(['--json', '--', 'kubectl', 'patch', 'deploy', 'web', '-n', 'payments', '-p', '{"spec":{"replicas":0}}'], {
      extra: { PROTECTED_NAMESPACES: 'payments' },
    });
    expect(result.exitCode).toBe(0);
    const record = JSON.parse(result.stdout);
    expect(record).toMatchObject({
      level: 'high', verb: 'patch', resource: 'deployments', names: ['web'], namespace: 'payments',
      argv: ['patch', 'deploy', 'web', '-n', 'payments', '-p', '{"spec":{"replicas":0}}'],
    });
    expect(record.reasons).toEqual(expect.arrayContaining(['scales to 0 replicas', 'targets a protected namespace: payments']));
  });

  it('--batch reads stdin and writes one JSON object per line, with the deny list from DENY_COMMANDS', async () => {
    const input = ['kubectl get pods', 'kubectl get pods | sh', '', 'kubectl drain n1\r', 'kubectl delete NAMESPACE prod'].join('\n');
    const result = await run(['--batch'], { input, extra: { DENY_COMMANDS: 'drain' } });
    expect(result.exitCode).toBe(0);
    const records = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => [r.command, r.level])).toEqual([
      ['kubectl get pods', 'low'],
      ['kubectl get pods | sh', 'forbidden'],
      ['kubectl drain n1', 'forbidden'],
      ['kubectl delete NAMESPACE prod', 'forbidden'],
    ]);
    expect(records[1].reasons).toEqual(['shell syntax: unquoted "|"']);
    expect(records[2].reasons[0]).toBe('deny list: "drain"');
    expect(records[3]).toMatchObject({ verb: 'delete', resource: 'namespaces', names: ['prod'] });
    expect(records[3].argv).toBeUndefined();
  });

  it('a malformed DENY_COMMANDS is a clear configuration error', async () => {
    const result = await run(['--', 'kubectl', 'get', 'pods'], { extra: { DENY_COMMANDS: 'frobnicate pods' } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('DENY_COMMANDS entry "frobnicate pods": "frobnicate" is not a kubectl verb');
  });
});
