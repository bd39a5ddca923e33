// The real product: `bin/oncall-agent.js serve` in a child process, its log written to a file (and optionally
// passed to a callback line by line), stopped with SIGTERM like any deployment would stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'oncall-agent.js');

export interface RunningDaemon {
  url: string;
  logFile: string;
  child: ChildProcess;
  /** The log lines written so far (JSON lines parse; pretty lines are kept as { raw }). */
  lines: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface StartDaemonOptions {
  env: Record<string, string>;
  cwd: string;
  logFile: string;
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

/** Starts `serve` on a free port (PORT=0) and resolves with its URL once it logs that it listens. */
export async function startDaemon(options: StartDaemonOptions): Promise<RunningDaemon> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log: WriteStream = createWriteStream(options.logFile, { flags: 'a' });
  // Only what the harness passes, plus PATH and HOME: the run is the same on every machine.
  const child = spawn(process.execPath, [bin, 'serve'], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? options.cwd, HOST: '127.0.0.1', PORT: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let port: number | undefined;
  let buffer = '';
  let stderr = '';
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const raw = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      options.onLine?.(raw);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        parsed = { raw };
      }
      lines.push(parsed);
      // JSON: { port, msg: "listening on …" }; pretty: "… listening on http://127.0.0.1:PORT (…)".
      const m = /listening on http:\/\/[^:\s]+:(\d+)/.exec(typeof parsed.msg === 'string' ? parsed.msg : raw);
      if (port === undefined && m) port = Number(m[1]);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (port === undefined) {
    if (child.exitCode !== null) {
      log.end();
      throw new Error(`oncall-agent serve exited ${child.exitCode} before listening: ${(stderr || lines.map((l) => l.msg ?? l.raw).join(' | ')).slice(-600)}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      log.end();
      throw new Error(`oncall-agent serve did not listen within ${options.timeoutMs ?? 30_000} ms (log: ${options.logFile})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    logFile: options.logFile,
    child,
    lines,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}
