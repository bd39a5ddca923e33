// Settings that pass the schema's type checks but cannot work: the real binary stops at start-up with one line on
// stderr naming the variable and exit 1, instead of running and failing every incident later.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnAgent, type ServeProcess } from '../../helpers/spawn-serve.js';

let dir: string;
let busy: Server;
let busyPort: number;
const started: ServeProcess[] = [];

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'oncall-bad-config-'));
  writeFileSync(join(dir, 'a-file'), 'not a directory');
  writeFileSync(join(dir, 'not-executable'), '#!/bin/sh\n');
  chmodSync(join(dir, 'not-executable'), 0o644);
});
afterAll(() => {
  busy?.close();
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('oncall-agent serve with a setting that cannot work', () => {
  it.each<[string, () => Record<string, string>, RegExp]>([
    ['KUBECTL_PATH missing on PATH', () => ({ KUBECTL_PATH: 'kubectl-does-not-exist' }), /^oncall-agent: invalid configuration: KUBECTL_PATH: "kubectl-does-not-exist" was not found on PATH/],
    ['KUBECTL_PATH not executable', () => ({ KUBECTL_PATH: join(dir, 'not-executable') }), /^oncall-agent: invalid configuration: KUBECTL_PATH: ".*not-executable" is not an executable file/],
    ['AUDIT_JSONL_PATH under a file', () => ({ AUDIT_JSONL_PATH: join(dir, 'a-file', 'audit.jsonl') }), /^oncall-agent: invalid configuration: AUDIT_JSONL_PATH: cannot write ".*" \((ENOTDIR|EEXIST)\)/],
    ['STATE_DIR under a file', () => ({ STATE_DIR: join(dir, 'a-file', 'state') }), /^oncall-agent: invalid configuration: STATE_DIR: cannot write ".*" \(ENOTDIR\)/],
    ['DENY_COMMANDS malformed', () => ({ DENY_COMMANDS: 'delete deployments,;;;' }), /^oncall-agent: invalid configuration: DENY_COMMANDS entry ";;;"/],
    ['REDIS_URL not a redis URL', () => ({ REDIS_URL: 'http://127.0.0.1:6379' }), /^oncall-agent: invalid configuration: REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/],
    ['thresholds out of order', () => ({ YOLO_MIN_CONFIDENCE_HIGH: '0.5' }), /^oncall-agent: invalid configuration: YOLO_MIN_CONFIDENCE_HIGH: 0.5 is below YOLO_MIN_CONFIDENCE/],
    ['PORT in use', () => ({ PORT: String(busyPort) }), /^oncall-agent: invalid configuration: PORT: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\) \(hint: set PORT/],
    ['HOST not an address of this machine', () => ({ HOST: '192.0.2.1' }), /^oncall-agent: invalid configuration: HOST: cannot listen on 192\.0\.2\.1:0 \(EADDRNOTAVAIL\)/],
  ])('%s: exit 1 with one line naming the variable', async (_name, env, message) => {
    const p = spawnAgent(['serve'], { DOTENV_PATH: join(dir, 'no.env'), HOST: '127.0.0.1', PORT: '0', PAGERDUTY_WEBHOOK_SECRETS: 'whsec-x', STATE_DIR: join(dir, 'state'), AUDIT_JSONL_PATH: join(dir, 'state', 'audit.jsonl'), ...env() }, dir);
    started.push(p);
    expect((await p.exited).code).toBe(1);
    expect(p.stderr().trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(p.lines.filter((l) => String(l.msg).startsWith('listening'))).toEqual([]);
  });

  it('the default kubectl missing from PATH is a warning: the daemon still starts and takes pages', async () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'no-kubectl-'));
    const p = spawnAgent(['serve'], { DOTENV_PATH: join(dir, 'no.env'), HOST: '127.0.0.1', PORT: '0', PATH: emptyPath, STATE_DIR: join(dir, 'state'), AUDIT_JSONL_PATH: join(dir, 'state', 'audit.jsonl') }, dir);
    started.push(p);
    await p.waitForLine((l) => String(l.msg).startsWith('kubectl was not found on PATH'), 'the kubectl warning');
    await p.waitForLine((l) => String(l.msg).startsWith('listening on'), 'the listening line');
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });
});
