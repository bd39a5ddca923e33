import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'oncall-agent.js');

/** The real `oncall-agent` binary in a child process, its JSON log lines collected. */
export interface ServeProcess {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  stderr(): string;
  /** Resolves with the first log line matching, or rejects after the deadline / when the process exits first. */
  waitForLine(match: (line: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnAgent(args: string[], env: Record<string, string>, cwd: string): ServeProcess {
  // Only what the test passes: no inherited settings, so the run is the same on every machine.
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    // One split per chunk (not a slice of the rest per line): a chatty process under load must not make the reader
    // the bottleneck, or its stdout pipe fills and its synchronous log writes stall it.
    const parts = (buffer + chunk.toString('utf8')).split('\n');
    buffer = parts.pop() ?? '';
    for (const raw of parts) {
      try {
        lines.push(JSON.parse(raw));
      } catch {
        lines.push({ raw });
      }
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      for (const wake of waiters.splice(0)) wake();
    });
  });

  const waitForLine: ServeProcess['waitForLine'] = async (match, what, timeoutMs = 45_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(match);
      if (found) return found;
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`agent exited before ${what}; stderr: ${stderr}; stdout: ${JSON.stringify(lines)}`);
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stdout: ${JSON.stringify(lines)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  return { child, lines, stderr: () => stderr, waitForLine, exited };
}

/** One run of the real `oncall-agent` CLI with only the given environment; resolves with its exit code and output. */
export function runAgentCli(args: string[], env: Record<string, string>, cwd: string, timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, timeout: timeoutMs, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, USER: 'tester', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
