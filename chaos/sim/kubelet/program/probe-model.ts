// Probes evaluated against the program model, with the kubelet prober's own result texts: httpGet needs a
// listener on the port and a path the program answers 200; tcpSocket needs a listener; exec runs through the
// engine. A container the model could not interpret passes every probe, as before the model existed.
import type { ContainerSpec } from '../container-behaviour.js';
import type { ProgramContext } from './program-context.js';
import type { ProgramRun, RunState } from './run-program.js';
import { execProblem, execute } from './run-program.js';
import { ExitSignal, ForeverSignal, OomSignal } from './shell-interpreter.js';
import { Unsupported } from './shell-parse.js';

export interface ProbeSpec {
  httpGet?: { path?: string; port?: number | string; scheme?: string; host?: string };
  tcpSocket?: { port?: number | string; host?: string };
  exec?: { command?: string[] };
  grpc?: { port?: number };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
  timeoutSeconds?: number;
}

/** ok, or the text after "Liveness probe failed: " (errored: "... probe errored: "). */
export type ProbeResult = { ok: true } | { ok: false; output: string; errored?: boolean };

function resolvePort(port: number | string | undefined, spec: ContainerSpec): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return (spec.ports as Array<{ name?: string; containerPort: number }> | undefined)?.find((p) => p.name === port)?.containerPort;
}

export function evaluateProbe(probe: ProbeSpec, run: ProgramRun, spec: ContainerSpec, ctx: ProgramContext, podIP: string): ProbeResult {
  if (run.uninterpreted || !ctx.program) return { ok: true };
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, spec);
    if (port === undefined) return { ok: false, errored: true, output: `unable to resolve port: ${String(probe.httpGet.port)}` };
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const host = probe.httpGet.host || podIP;
    const path = probe.httpGet.path ? (probe.httpGet.path.startsWith('/') ? probe.httpGet.path : `/${probe.httpGet.path}`) : '/';
    const url = `${scheme}://${host}:${port}${path}`;
    const listener = run.listeners.find((l) => l.port === port);
    if (!listener) return { ok: false, output: `Get "${url}": dial tcp ${host}:${port}: connect: connection refused` };
    if (!listener.http) return { ok: false, output: `Get "${url}": net/http: HTTP/1.x transport connection broken: malformed HTTP response` };
    if (scheme === 'https') return { ok: false, output: `Get "${url}": http: server gave HTTP response to HTTPS client` };
    const bare = path.replace(/[?#].*$/, '');
    return listener.http.okPaths.includes('*') || listener.http.okPaths.includes(bare) ? { ok: true } : { ok: false, output: 'HTTP probe failed with statuscode: 404' };
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, spec);
    if (port === undefined) return { ok: false, errored: true, output: `unable to resolve port: ${String(probe.tcpSocket.port)}` };
    const host = probe.tcpSocket.host || podIP;
    return run.listeners.some((l) => l.port === port) ? { ok: true } : { ok: false, output: `dial tcp ${host}:${port}: connect: connection refused` };
  }
  if (probe.grpc?.port !== undefined) {
    return run.listeners.some((l) => l.port === probe.grpc?.port) ? { ok: true } : { ok: false, output: `timeout: failed to connect service ":${probe.grpc.port}" within 1s` };
  }
  if (probe.exec?.command?.length) return execProbe(probe.exec.command, ctx, probe.timeoutSeconds ?? 1);
  return { ok: true };
}

/** An exec probe: the command's exit status decides; its output is the failure text. */
export function execProbe(command: string[], ctx: ProgramContext, timeoutSeconds: number): ProbeResult {
  const problem = execProblem(command[0], ctx);
  if (problem) return { ok: false, output: `OCI runtime exec failed: exec failed: unable to start container process: ${problem}: unknown` };
  // Exec probes must not change the container's environment.
  const scratch: ProgramContext = { ...ctx, env: new Map(ctx.env) };
  const state: RunState = { ctx: scratch, logs: [], elapsed: 0, listeners: [], heldMi: 0, cpuMilli: 0 };
  let code: number;
  try {
    code = execute(command, state, undefined);
  } catch (signal) {
    if (signal instanceof ExitSignal) code = signal.code;
    else if (signal instanceof ForeverSignal) return { ok: false, errored: true, output: `command ${JSON.stringify(command.join(' '))} timed out` };
    else if (signal instanceof OomSignal) code = 137;
    else if (signal instanceof Unsupported) return { ok: true };
    else throw signal;
  }
  if (state.elapsed > timeoutSeconds) return { ok: false, errored: true, output: `command ${JSON.stringify(command.join(' '))} timed out` };
  return code === 0 ? { ok: true } : { ok: false, output: state.logs.map((l) => `${l}\n`).join('') };
}
