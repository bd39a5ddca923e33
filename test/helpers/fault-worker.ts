// The agent worker of the fault tests (agent-worker-process.ts) in a child process, with the test hooks' controls:
// wait until it is held at a boundary (ONCALL_TEST_PAUSE_AT), then release it with SIGUSR2. And the audit trail of
// one incident, read from the JSONL file the workers write.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEvent } from '../../backend/src/domain/audit.js';
import type { IncidentOutcome } from '../../backend/src/domain/outcome.js';

const helper = join(import.meta.dirname, 'agent-worker-process.ts');

export interface FaultWorker {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** Resolves once the run is held at the boundary named by ONCALL_TEST_PAUSE_AT. */
  paused(timeoutMs?: number): Promise<void>;
  /** Lets the held run go on. */
  release(): void;
  alive(): boolean;
  stop(): Promise<void>;
}

export function startFaultWorker(env: Record<string, string>): FaultWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', helper], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    exited,
    output: () => output,
    alive,
    async paused(timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (!/ONCALL_TEST_PAUSED /.test(output)) {
        if (!alive()) throw new Error(`the worker exited before pausing:\n${output.slice(-3_000)}`);
        if (Date.now() > deadline) throw new Error(`the worker did not pause within ${timeoutMs} ms:\n${output.slice(-3_000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    release: () => void child.kill('SIGUSR2'),
    async stop() {
      if (!alive()) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function readTrail(auditPath: string, incidentId: string): AuditEvent[] {
  if (!existsSync(auditPath)) return [];
  return readFileSync(auditPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent)
    .filter((e) => e.incidentId === incidentId);
}

export const outcomesIn = (events: AuditEvent[]): IncidentOutcome[] => events.filter((e) => e.type === 'incident.outcome').map((e) => e.data as unknown as IncidentOutcome);
