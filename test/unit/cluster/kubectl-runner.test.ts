import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertNoTargetOverride, buildKubectlArgv, buildKubectlEnv, createKubectlRunner } from '../../../backend/src/cluster/kubectl-runner.js';
import { PolicyRefusal } from '../../../backend/src/domain/errors.js';
import { waitFor } from '../../helpers/incident-jobs.js';

const dir = mkdtempSync(join(tmpdir(), 'kubectl-runner-'));
/** A stand-in executable: prints its argv (one per line) and the environment, or misbehaves on request. */
const fake = join(dir, 'fake-kubectl');
writeFileSync(
  fake,
  `#!/bin/sh
case "$*" in
  *sleep-forever*) exec sleep 30 ;;
  *plugin-hangs*) sleep 600 & echo $! > "$PLUGIN_PID_FILE"; sleep 600 ;;
  *flood*) exec yes flood-line-of-output ;;
  *leak-stderr*) echo "error: You must be logged in: Authorization: Bearer abcdefghijklmnop0123 password=hunter2secret" >&2; exit 1 ;;
  *latin1*) printf 'caf\\351 \\377\\376 ok\\n'; printf 'bad \\351\\n' >&2; exit 0 ;;
  *fail*) echo "Error from server (NotFound): nope" >&2; exit 3 ;;
esac
for a in "$@"; do echo "ARG $a"; done
env | sed 's/^/ENV /'
`,
);
chmodSync(fake, 0o755);

const base = { kubectlPath: fake, kubeconfig: '/etc/agent/kubeconfig:/other', context: 'prod-ctx', timeoutMs: 10_000, maxOutputBytes: 64 * 1024, cacheDir: join(dir, 'cache') };

describe('kubectl runner', () => {
  it('prepends the agent’s own kubeconfig, context and cache dir to the argv, unchanged', async () => {
    const runner = createKubectlRunner(base);
    const result = await runner.run(['patch', 'deployment/web', '-p', '{"spec":{"replicas":2}} ; rm -rf / $(id)']);
    expect(result.exitCode).toBe(0);
    const args = result.stdout.split('\n').filter((l) => l.startsWith('ARG ')).map((l) => l.slice(4));
    expect(args).toEqual(['--kubeconfig=/etc/agent/kubeconfig', '--context=prod-ctx', `--cache-dir=${join(dir, 'cache')}`, 'patch', 'deployment/web', '-p', '{"spec":{"replicas":2}} ; rm -rf / $(id)']);
  });

  it('passes a clean environment: no API keys or PagerDuty tokens reach kubectl', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-test-secret-value';
    process.env.PAGERDUTY_API_TOKEN = 'pd-secret';
    try {
      const result = await createKubectlRunner(base).run(['get', 'pods']);
      const env = result.stdout.split('\n').filter((l) => l.startsWith('ENV ')).map((l) => l.slice(4).split('=')[0]);
      expect(env).toContain('PATH');
      expect(env).not.toContain('ANTHROPIC_API_KEY');
      expect(env).not.toContain('PAGERDUTY_API_TOKEN');
      expect(result.stdout).not.toContain('sk-ant-test-secret-value');
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
      delete process.env.PAGERDUTY_API_TOKEN;
    }
    expect(Object.keys(buildKubectlEnv({ PATH: '/bin', ANTHROPIC_API_KEY: 'x', KUBERNETES_SERVICE_HOST: '10.0.0.1' }))).toEqual(['PATH', 'KUBERNETES_SERVICE_HOST']);
  });

  it('captures a non-zero exit with stderr', async () => {
    const result = await createKubectlRunner(base).run(['fail']);
    expect(result).toMatchObject({ exitCode: 3, timedOut: false, truncated: false });
    expect(result.stderr).toMatch(/NotFound/);
  });

  it('stops a command at the timeout', async () => {
    const result = await createKubectlRunner({ ...base, timeoutMs: 1_000 }).run(['sleep-forever'], { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).not.toBe(0);
  });

  it('at the timeout also stops what kubectl started (a hanging credential plugin holding its pipes): the call returns', async () => {
    const pidFile = join(dir, 'plugin.pid');
    // Like an exec credential plugin, the child inherits kubectl's stdout/stderr; killing kubectl alone leaves them open.
    const result = await createKubectlRunner({ ...base, env: { PLUGIN_PID_FILE: pidFile } }).run(['plugin-hangs'], { timeoutMs: 500 });
    expect(result).toMatchObject({ timedOut: true });
    const plugin = Number(readFileSync(pidFile, 'utf8').trim());
    // Gone (or a zombie waiting for its new parent to reap it): no longer running.
    const running = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${plugin}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    await waitFor(() => !running(), 'the plugin to be stopped', 10_000);
  }, 60_000);

  it('cuts output at the cap', async () => {
    const result = await createKubectlRunner({ ...base, maxOutputBytes: 4_096 }).run(['flood']);
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBeLessThanOrEqual(4_096);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/exceeded 4096 bytes/);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const pending = createKubectlRunner(base).run(['sleep-forever'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const result = await pending;
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/cancelled/);
  });

  it('reports a missing kubectl binary as a failure, not a crash', async () => {
    const result = await createKubectlRunner({ ...base, kubectlPath: join(dir, 'no-such-kubectl') }).run(['get', 'pods']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/cannot run/);
  });

  it.each([
    ['--kubeconfig=/tmp/x'],
    ['--context', 'other'],
    ['--server=https://evil'],
    ['-s', 'https://evil'],
    ['-shttps://evil'],
    ['--token=abc'],
    ['--as=system:admin'],
    ['--as-group=system:masters'],
    ['--insecure-skip-tls-verify'],
    ['--cache-dir=/tmp/shared'],
    ['--Kubeconfig=/tmp/x'],
  ])('refuses a target or credential override: %s', (...args) => {
    expect(() => assertNoTargetOverride(['get', 'pods', ...args])).toThrow(PolicyRefusal);
    expect(() => buildKubectlArgv({}, '/c', ['get', ...args])).toThrow(PolicyRefusal);
  });

  it('allows look-alike words that are not flags, and anything after "--"', () => {
    expect(() => assertNoTargetOverride(['apply', '--server-side', '--selector=app=web', '-l', 'context=x', '--user-agent-ish'])).not.toThrow();
    expect(() => assertNoTargetOverride(['exec', 'pod', '--', 'sh', '--context=x'])).not.toThrow();
  });

  it('redacts credentials in stderr before any caller sees it (errors, logs, audit, escalation text)', async () => {
    const result = await createKubectlRunner(base).run(['leak-stderr']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/logged in/);
    expect(result.stderr).not.toMatch(/abcdefghijklmnop0123|hunter2secret/);
  });

  it('non-UTF-8 output becomes replacement characters, not a crash', async () => {
    const result = await createKubectlRunner(base).run(['latin1']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^caf\uFFFD .* ok\n$/);
    expect(result.stderr).toContain('bad \uFFFD');
  });
});
