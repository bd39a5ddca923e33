// Fidelity of the program model against the real programs' own texts. Sources:
// - dash: src/exec.c prints "%s: %d: %s: not found" ($0, line, name) and exits 127 (126 for EACCES);
//   busybox ash: shell/ash.c "%s: not found" after "$0: "; bash: "bash: line 1: X: command not found" (bash 5.1+).
// - runc (libcontainer/standard_init_linux.go) + containerd: `exec: "X": executable file not found in $PATH`,
//   reported by the kubelet as terminated reason StartError, exit code 128 (pkg/kubelet/kuberuntime).
// - kubelet prober (pkg/probe/http/http.go): "HTTP probe failed with statuscode: %d"; Go net/http dial errors:
//   `Get "http://ip:port/path": dial tcp ip:port: connect: connection refused`.
// - docker-library/postgres docker-entrypoint.sh: "Error: Database is uninitialized and superuser password is not
//   specified." (exit 1). Kubernetes docs "Assign Memory Resources": polinux/stress over its limit → OOMKilled.
import { describe, expect, it } from 'vitest';
import type { ContainerSpec } from '../../../chaos/sim/kubelet/container-behaviour.js';
import { createImageCatalog } from '../../../chaos/sim/kubelet/image-catalog.js';
import { evaluateProbe } from '../../../chaos/sim/kubelet/program/probe-model.js';
import type { ProbeSpec } from '../../../chaos/sim/kubelet/program/probe-model.js';
import { buildProgramContext } from '../../../chaos/sim/kubelet/program/program-context.js';
import { runProgram } from '../../../chaos/sim/kubelet/program/run-program.js';
import { parseShell, Unsupported } from '../../../chaos/sim/kubelet/program/shell-parse.js';

const run = (spec: Omit<ContainerSpec, 'name'>, podSpec: Record<string, unknown> = {}) => {
  const c = { name: 'c', ...spec } as ContainerSpec;
  const ctx = buildProgramContext(c, podSpec, 'web-0', 8192);
  return { result: runProgram(c, ctx), ctx, c };
};

describe('commands the image does not have', () => {
  it.each([
    ['nginx:1.25', ['sh', '-c', "python3 -c 'print(1)'"], 'sh: 1: python3: not found'],
    ['busybox:1.36', ['sh', '-c', 'wge http://config/'], 'sh: wge: not found'],
    ['alpine:3.19', ['/bin/sh', '-c', 'curl -s http://x'], '/bin/sh: curl: not found'],
    ['ubuntu:22.04', ['bash', '-c', 'wget http://x'], 'bash: line 1: wget: command not found'],
    ['python:3.9-slim', ['sh', '-c', 'echo start\nnode app.js'], 'sh: 2: node: not found'],
  ])('%s %j exits 127 with the shell message', (image, command, message) => {
    const { result } = run({ image, command });
    expect(result.exit).toMatchObject({ code: 127, reason: 'Error' });
    expect(result.logs.at(-1)).toBe(message);
    expect(result.uninterpreted).toBeUndefined();
  });

  it('exec form: the runtime cannot start it (StartError, 128, runc text)', () => {
    const { result } = run({ image: 'busybox:1.36', command: ['bash', '-c', 'echo hi'] });
    expect(result.exit).toEqual({
      afterSeconds: 0,
      code: 128,
      reason: 'StartError',
      message:
        'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown',
    });
    expect(run({ image: 'nginx:1.25', command: ['/app/server'] }).result.exit?.message).toContain('exec: "/app/server": stat /app/server: no such file or directory');
  });

  it('a ConfigMap script mounted without exec bits: 126 Permission denied (shell) / StartError (exec form)', () => {
    const pod = { volumes: [{ name: 's', configMap: { name: 'scripts' } }] };
    const mounts = [{ name: 's', mountPath: '/scripts' }];
    const shell = run({ image: 'busybox:1.36', command: ['sh', '-c', '/scripts/start.sh'], volumeMounts: mounts }, pod).result;
    expect(shell.exit?.code).toBe(126);
    expect(shell.logs).toEqual(['sh: /scripts/start.sh: Permission denied']);
    expect(run({ image: 'busybox:1.36', command: ['/scripts/start.sh'], volumeMounts: mounts }, pod).result.exit?.message).toContain('exec: "/scripts/start.sh": permission denied');
    // defaultMode 0755 makes it executable; its content is unknown, so the container runs opaquely.
    const exec = run({ image: 'busybox:1.36', command: ['/scripts/start.sh'], volumeMounts: mounts }, { volumes: [{ name: 's', configMap: { name: 'scripts', defaultMode: 0o755 } }] }).result;
    expect(exec.exit).toBeUndefined();
    expect(exec.uninterpreted).toBeDefined();
  });
});

describe('the bounded shell', () => {
  it.each([
    ['echo hi; exit 3', 3, ['hi']],
    ['exit 0; sleep 1000', 0, []],
    ['false || echo fallback', 0, ['fallback']],
    ['true && exit 4', 4, []],
    ['[ -z "$MODE" ] && echo "MODE is unset" && exit 1; echo ok', 1, ['MODE is unset']],
    ['if [ "$MODE" = prod ]; then echo prod; else echo other; exit 2; fi', 2, ['other']],
    ['test 3 -gt 2 && echo yes', 0, ['yes']],
    ['set -e; false; echo never', 1, []],
    ['echo hidden > /tmp/x; echo shown', 0, ['shown']],
    ['X=1; [ "$X" -eq 1 ] && echo "one ${Y:-default}"', 0, ['one default']],
  ])('%s → exit %d', (script, code, logs) => {
    const { result } = run({ image: 'busybox:1.36', command: ['sh', '-c', script] });
    expect(result.exit?.code).toBe(code);
    expect(result.logs).toEqual(logs);
  });

  it('sleeps count towards when the container ends; a server or `sleep infinity` runs until stopped', () => {
    expect(run({ image: 'busybox:1.36', command: ['sh', '-c', 'sleep 30; exit 1'] }).result.exit).toMatchObject({ afterSeconds: 30, code: 1 });
    expect(run({ image: 'busybox:1.36', command: ['sleep', 'infinity'] }).result.exit).toBeUndefined();
    expect(run({ image: 'busybox:1.36', command: ['sh', '-c', 'while true; do echo tick; sleep 5; done'] }).result.exit).toBeUndefined();
  });

  it('an env var set from a reference is unknown: the test is not guessed', () => {
    const { result } = run({ image: 'busybox:1.36', command: ['sh', '-c', '[ -n "$TOKEN" ] || exit 1; sleep 10'], env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] });
    expect(result.uninterpreted).toContain('TOKEN');
    // Before the model: an `exit N` in the script ended it after 1 s; an opaque script keeps that rule.
    expect(result.exit).toMatchObject({ code: 1, afterSeconds: 1 });
  });

  it('refuses what it does not cover instead of guessing', () => {
    for (const script of ['for i in 1 2; do echo $i; done', 'echo $(date)', 'f() { :; }; f', 'cat <<EOF\nx\nEOF', 'sleep 5 &']) {
      const { result } = run({ image: 'busybox:1.36', command: ['sh', '-c', script] });
      expect(result.uninterpreted, script).toBeDefined();
    }
    expect(() => parseShell('echo `date`')).toThrow(Unsupported);
  });
});

describe('images and their programs', () => {
  it('official images with slim/alpine/bookworm tags pull', () => {
    const catalog = createImageCatalog();
    for (const image of ['python:3.9-slim', 'python:3.11-slim-bookworm', 'node:20-alpine', 'ubuntu:22.04', 'golang:1.22-alpine3.19', 'curlimages/curl:8.5.0', 'mysql:8.0', 'httpd:2.4']) {
      expect(catalog.pull(image), image).toEqual({ ok: true });
    }
  });

  it('default programs: nginx serves, busybox and python exit 0 without a TTY, postgres needs a password', () => {
    const nginx = run({ image: 'nginx:1.25' }).result;
    expect(nginx.exit).toBeUndefined();
    expect(nginx.listeners).toMatchObject([{ port: 80 }]);
    expect(run({ image: 'busybox:1.36' }).result.exit).toMatchObject({ code: 0, reason: 'Completed' });
    expect(run({ image: 'python:3.12' }).result.exit).toMatchObject({ code: 0, reason: 'Completed' });
    const pg = run({ image: 'postgres:16' }).result;
    expect(pg.exit?.code).toBe(1);
    expect(pg.logs[0]).toBe('Error: Database is uninitialized and superuser password is not specified.');
    expect(run({ image: 'postgres:16', env: [{ name: 'POSTGRES_PASSWORD', value: 'x' }] }).result.exit).toBeUndefined();
  });

  it('interpreters pointed at files that are not there fail as the interpreters do', () => {
    const py = run({ image: 'python:3.11', command: ['python', 'app.py'], workingDir: '/srv' }).result;
    expect(py.exit?.code).toBe(2);
    expect(py.logs).toEqual(["python3: can't open file '/srv/app.py': [Errno 2] No such file or directory"]);
    expect(run({ image: 'node:20', command: ['node', '/app/server.js'] }).result.logs).toContain("Error: Cannot find module '/app/server.js'");
  });

  it('images outside the catalog are opaque and keep the old behaviour', () => {
    const opaque = run({ image: 'sim.local/shop/api:1' }).result;
    expect(opaque.exit).toBeUndefined();
    expect(opaque.uninterpreted).toEqual(expect.any(String));
  });
});

describe('memory hogs', () => {
  it.each([
    [['tail', '/dev/zero'], 'busybox:1.36'],
    [['sh', '-c', 'tail /dev/zero'], 'busybox:1.36'],
    [['stress', '--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'], 'polinux/stress'],
    [['python', '-c', 'a = []\nwhile True:\n    a.append(" " * 10**6)'], 'python:3.9-slim'],
    [['node', '-e', 'const a=[]; setInterval(() => a.push(Buffer.alloc(1e7)), 10)'], 'node:20'],
    [['dd', 'if=/dev/zero', 'of=/dev/shm/fill', 'bs=1M', 'count=200'], 'busybox:1.36'],
  ])('%j is OOMKilled (137) under a 100Mi limit', (command, image) => {
    const { result } = run({ image, command, resources: { limits: { memory: '100Mi' } } });
    expect(result.exit).toMatchObject({ code: 137, reason: 'OOMKilled' });
  });

  it('a bounded hog under its limit keeps running at its size; without a limit the node bounds it', () => {
    const ok = run({ image: 'polinux/stress', command: ['stress', '--vm', '1', '--vm-bytes', '50M'], resources: { limits: { memory: '100Mi' } } }).result;
    expect(ok.exit).toBeUndefined();
    expect(ok.memoryMi).toBeGreaterThanOrEqual(50);
    expect(run({ image: 'busybox:1.36', command: ['tail', '/dev/zero'] }).result.exit?.reason).toBe('OOMKilled');
  });
});

describe('probes against the model (kubelet prober texts)', () => {
  const probe = (p: ProbeSpec, spec: Omit<ContainerSpec, 'name'> = { image: 'nginx:1.25' }) => {
    const { result, ctx, c } = run(spec);
    return evaluateProbe(p, result, c, ctx, '10.244.1.7');
  };
  it('httpGet', () => {
    expect(probe({ httpGet: { path: '/', port: 80 } })).toEqual({ ok: true });
    expect(probe({ httpGet: { path: '/healthz', port: 80 } })).toEqual({ ok: false, output: 'HTTP probe failed with statuscode: 404' });
    expect(probe({ httpGet: { path: '/healthz', port: 8080 } })).toEqual({
      ok: false,
      output: 'Get "http://10.244.1.7:8080/healthz": dial tcp 10.244.1.7:8080: connect: connection refused',
    });
    expect(probe({ httpGet: { path: '/', port: 'http' } }, { image: 'nginx:1.25', ports: [{ name: 'http', containerPort: 80 }] })).toEqual({ ok: true });
  });
  it('tcpSocket and exec', () => {
    expect(probe({ tcpSocket: { port: 6379 } }, { image: 'redis:7' })).toEqual({ ok: true });
    expect(probe({ tcpSocket: { port: 6380 } }, { image: 'redis:7' })).toEqual({ ok: false, output: 'dial tcp 10.244.1.7:6380: connect: connection refused' });
    expect(probe({ exec: { command: ['cat', '/tmp/healthy'] } }, { image: 'busybox:1.36', command: ['sleep', '3600'] })).toEqual({ ok: true });
    expect(probe({ exec: { command: ['sh', '-c', 'exit 1'] } }, { image: 'busybox:1.36', command: ['sleep', '3600'] })).toMatchObject({ ok: false });
    expect(probe({ exec: { command: ['curl', '-f', 'http://localhost/'] } }, { image: 'busybox:1.36', command: ['sleep', '3600'] })).toEqual({
      ok: false,
      output: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in $PATH: unknown',
    });
  });
});
