// The JSONL audit file unwritable under the real daemon (`serve` with BullMQ on a private redis-server, on kube-sim,
// the runbook analyzer): a full disk from the start (AUDIT_JSONL_PATH=/dev/full, which opens fine and answers every
// write ENOSPC), and a file that breaks while the agent runs (replaced by a directory, EISDIR) and then comes back.
// Each incident still ends with exactly one outcome, in the Redis stream; the daemon stays up; the failure is logged
// once naming the file and the errno, and its recovery once; /healthz and /metrics say which sink is failing.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/kubectl.js';
import { runAgentCli } from '../../helpers/spawn-serve.js';
import { brokenDeployment, expectNoWriteTwice, expectStoryInOrder, imageOf, type FaultDaemon, startFaultDaemon } from './serve-fault-harness.js';

const sinkLines = (daemon: FaultDaemon, pattern: RegExp) => daemon.agent.lines.filter((l) => pattern.test(String(l.msg ?? '')));

async function metric(daemon: FaultDaemon, series: string): Promise<number | undefined> {
  const text = await (await fetch(`${daemon.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : undefined;
}

async function expectFixed(daemon: FaultDaemon, id: string, ns: string): Promise<void> {
  const [o, ...more] = await daemon.settled(id);
  expect(more).toEqual([]);
  expect(o).toMatchObject({ outcome: 'fixed', analyzer: 'runbook', target: { namespace: ns, name: 'web' } });
  expect(await imageOf(daemon.kubectl, ns)).toBe('nginx:1.25');
  const trail = await daemon.trail(id);
  expectStoryInOrder(trail);
  expectNoWriteTwice(trail);
}

describe('disk full for the JSONL audit file from the start (AUDIT_JSONL_PATH=/dev/full)', () => {
  let daemon: FaultDaemon;
  beforeAll(async () => {
    daemon = await startFaultDaemon(() => ({ AUDIT_JSONL_PATH: '/dev/full' }));
    await Promise.all(['full1', 'full2'].map((ns) => brokenDeployment(daemon.kubectl, ns)));
  }, 240_000);
  afterAll(async () => daemon?.stop());

  it('both incidents are fixed with their whole story in Redis; ENOSPC is logged once, and /healthz and /metrics say jsonl is failing', async () => {
    await daemon.page('PAUDFULL1', 'Pods failing: deployment/web in namespace full1');
    await expectFixed(daemon, 'PAUDFULL1', 'full1');
    await daemon.page('PAUDFULL2', 'Pods failing: deployment/web in namespace full2');
    await expectFixed(daemon, 'PAUDFULL2', 'full2');

    const failing = sinkLines(daemon, /^audit sink jsonl/);
    expect(failing).toHaveLength(1); // dozens of records failed to reach the file: one line, not one per record
    expect(failing[0]).toMatchObject({ level: 50, sink: 'jsonl', path: '/dev/full', err: expect.stringMatching(/^ENOSPC/) });
    expect(String(failing[0].msg)).toContain('audit sink jsonl cannot write /dev/full (ENOSPC');
    expect(String(failing[0].msg)).toContain('the other sinks (redis-stream, kube-events) still get every record');

    expect(daemon.agent.child.exitCode).toBeNull();
    const health = await fetch(`${daemon.url}/healthz`);
    expect(health.status).toBe(200); // alive: a restart would not free the disk
    const body = (await health.json()) as { status: string; audit: Array<{ sink: string; healthy: boolean; lastError?: string; failedWrites: number }> };
    expect(body.status).toBe('degraded');
    expect(body.audit.find((s) => s.sink === 'jsonl')).toMatchObject({ healthy: false, lastError: expect.stringMatching(/^ENOSPC/) });
    expect(body.audit.find((s) => s.sink === 'redis-stream')).toMatchObject({ healthy: true, failedWrites: 0 });
    const records = (await daemon.trail('PAUDFULL1')).length + (await daemon.trail('PAUDFULL2')).length;
    expect(await metric(daemon, 'oncall_audit_sink_failures_total{sink="jsonl"}')).toBeGreaterThanOrEqual(records);
    expect(await metric(daemon, 'oncall_audit_sink_failures_total{sink="redis-stream"}')).toBe(0);
    expect(await metric(daemon, 'oncall_audit_sink_up{sink="jsonl"}')).toBe(0);
    expect(await metric(daemon, 'oncall_audit_sink_up{sink="redis-stream"}')).toBe(1);

    // `oncall-agent status` shows it too: the daemon re-publishes what it says about itself when a sink starts failing.
    const status = await eventually(async () => {
      const run = await runAgentCli(['status'], daemon.env, daemon.dir);
      return /Audit sink jsonl: FAILING since/.test(run.stdout) ? run.stdout : undefined;
    }, 30_000, 500);
    expect(status).toMatch(/Audit sink jsonl: FAILING since \S+, cannot write \/dev\/full \(ENOSPC.*\); the other sinks still get every record/);
  }, 300_000);
});

describe('the JSONL audit file replaced by a directory while the agent runs, then restored', () => {
  let daemon: FaultDaemon;
  let path: string;
  beforeAll(async () => {
    daemon = await startFaultDaemon((dir) => ({ AUDIT_JSONL_PATH: join(dir, 'audit', 'audit.jsonl') }));
    path = join(daemon.dir, 'audit', 'audit.jsonl');
    await Promise.all(['before', 'during', 'after'].map((ns) => brokenDeployment(daemon.kubectl, ns)));
  }, 240_000);
  afterAll(async () => daemon?.stop());

  const fileIncidents = () =>
    readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { incidentId?: string }).incidentId);

  it('writes the file, loses it to EISDIR for one incident (which still ends, in Redis), and says when it writes again', async () => {
    await daemon.page('PAUDBEFORE', 'Pods failing: deployment/web in namespace before');
    await expectFixed(daemon, 'PAUDBEFORE', 'before');
    expect(fileIncidents()).toContain('PAUDBEFORE');
    expect(sinkLines(daemon, /^audit sink/)).toEqual([]);

    rmSync(path);
    mkdirSync(path);
    await daemon.page('PAUDDURING', 'Pods failing: deployment/web in namespace during');
    await expectFixed(daemon, 'PAUDDURING', 'during');
    const failing = sinkLines(daemon, /^audit sink jsonl cannot write/);
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatchObject({ level: 50, path, err: expect.stringMatching(/^EISDIR/) });
    expect(((await (await fetch(`${daemon.url}/healthz`)).json()) as { status: string }).status).toBe('degraded');

    rmSync(path, { recursive: true });
    await daemon.page('PAUDAFTER', 'Pods failing: deployment/web in namespace after');
    await expectFixed(daemon, 'PAUDAFTER', 'after');
    const recovered = sinkLines(daemon, /^audit sink jsonl recovered/);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ level: 40, path });
    expect(recovered[0].failedWrites).toBeGreaterThanOrEqual((await daemon.trail('PAUDDURING')).length); // every record of that incident
    expect(sinkLines(daemon, /^audit sink/)).toHaveLength(2);
    const inFile = fileIncidents();
    expect(inFile).toContain('PAUDAFTER');
    expect(inFile).not.toContain('PAUDDURING');
    expect(((await (await fetch(`${daemon.url}/healthz`)).json()) as { status: string }).status).toBe('ok');
    expect(await metric(daemon, 'oncall_audit_sink_up{sink="jsonl"}')).toBe(1);
  }, 300_000);
});
