import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { seedWorkload } from '../../helpers/seed-workload.js';

const bin = fileURLToPath(new URL('../../../bin/oncall-agent.js', import.meta.url));
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

  it('--batch goes on after a line the scorer could once not survive (a patch nested 4,000 levels deep)', async () => {
    const deep = `kubectl patch deploy web -n shop -p '${'{"a":'.repeat(4_000)}1${'}'.repeat(4_000)}'`;
    const input = ['kubectl get pods', deep, 'kubectl get -f /etc/passwd', 'kubectl rollout undo deploy/web -n shop'].join('\n');
    const result = await run(['--batch'], { input });
    expect(result.exitCode).toBe(0);
    const records = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r.level)).toEqual(['low', 'forbidden', 'forbidden', 'medium']);
    expect(records[1].reasons[0]).toMatch(/beyond what the scorer reads/);
  });

  it('--batch reads stdin and writes one JSON object per line, with the deny list from DENY_COMMANDS', async () => {
    // A lone "\r" inside a line does not split it (readline would): that line is one record, refused for U+000D.
    const input = ['kubectl get pods', 'kubectl get pods | sh', '', 'kubectl drain n1\r', 'kubectl delete NAMESPACE prod', 'kubectl get pods\rkubectl delete ns prod'].join('\n');
    const result = await run(['--batch'], { input, extra: { DENY_COMMANDS: 'drain' } });
    expect(result.exitCode).toBe(0);
    const records = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => [r.command, r.level])).toEqual([
      ['kubectl get pods', 'low'],
      ['kubectl get pods | sh', 'forbidden'],
      ['kubectl drain n1', 'forbidden'],
      ['kubectl delete NAMESPACE prod', 'forbidden'],
      ['kubectl get pods\rkubectl delete ns prod', 'forbidden'],
    ]);
    expect(records[4].reasons[0]).toMatch(/non-printing character U\+000D/);
    expect(records[1].reasons).toEqual(['shell syntax: unquoted "|"']);
    expect(records[2].reasons[0]).toBe('deny list: "drain"');
    expect(records[3]).toMatchObject({ verb: 'delete', resource: 'namespaces', names: ['prod'] });
    expect(records[3].argv).toBeUndefined();
    // Every record has the same keys: a refused line or a command without -n says null, not nothing.
    for (const r of records) expect(Object.keys(r)).toEqual(expect.arrayContaining(['command', 'level', 'reasons', 'verb', 'resource', 'namespace']));
    expect(records[1]).toMatchObject({ verb: null, resource: null, namespace: null });
    expect(records[0]).toMatchObject({ verb: 'get', resource: 'pods', namespace: null });
  });

  it('a malformed DENY_COMMANDS is a clear configuration error', async () => {
    const result = await run(['--', 'kubectl', 'get', 'pods'], { extra: { DENY_COMMANDS: 'frobnicate pods' } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('DENY_COMMANDS entry "frobnicate pods": "frobnicate" is not a kubectl verb');
  });
});

describe('oncall-agent risk --cluster (real binary, kube-sim)', () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSim({ withoutControllers: true });
    seedWorkload(sim.store, { namespace: 'shop', name: 'solo', revisions: [{ image: 'solo:1', replicas: 1, podState: 'ready' }] });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('adds the blast radius read from the cluster: deleting the only pod is high', async () => {
    const pod = sim.store.peekList('pods', 'shop')[0].metadata.name as string;
    const result = await run(['--cluster', '--json', '--', 'kubectl', 'delete', 'pod', pod, '-n', 'shop'], { extra: { KUBECONFIG: sim.kubeconfigPath } });
    expect(result.exitCode, result.stderr).toBe(0);
    const record = JSON.parse(result.stdout);
    expect(record.level).toBe('high');
    expect(record.reasons).toContain('blast radius: leaves Deployment shop/solo with no ready replica (1 ready now)');
    expect(record.reasons).toContain('blast radius: touches 1 pod(s)');
  });

  it('a missing kubeconfig is a configuration error', async () => {
    const result = await run(['--cluster', '--', 'kubectl', 'delete', 'pod', 'x', '-n', 'shop'], { extra: { KUBECONFIG: `${sim.kubeconfigPath}.missing` } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('invalid configuration: KUBECONFIG');
  });

  it('an unreachable cluster is reported in the reasons, not guessed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'risk-cli-'));
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: dead',
      'clusters: [{name: dead, cluster: {server: "http://127.0.0.1:1"}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: dead, context: {cluster: dead, user: u}}]',
    ].join('\n'));
    const result = await run(['--cluster', '--json', '--', 'kubectl', 'delete', 'pod', 'x', '-n', 'shop'], { extra: { KUBECONFIG: kubeconfig } });
    await rm(dir, { recursive: true, force: true });
    expect(result.exitCode, result.stderr).toBe(0);
    const record = JSON.parse(result.stdout);
    expect(record.level).toBe('high');
    expect(record.reasons.at(-1)).toMatch(/^blast radius: not assessed: /);
  });
});
