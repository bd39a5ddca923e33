// The engine: what a container's process does under the program model. Given the container and what we know of
// its image, returns its log lines, whether and when it ends (exit code, OOM kill, start error), the ports it
// listens on and its memory and CPU use. Pure: the kubelet turns the result into container states and events.
import type { ContainerSpec } from '../container-behaviour.js';
import { exitCodeFor } from '../container-behaviour.js';
import type { Listener } from './image-programs.js';
import type { ProgramContext } from './program-context.js';
import { onPath, resolvePath } from './program-context.js';
import type { ShellHost, ShellInfo } from './shell-interpreter.js';
import { ExitSignal, ForeverSignal, OomSignal, ShellInterpreter, shellErrorMessage } from './shell-interpreter.js';
import { Unsupported } from './shell-parse.js';
import { runKnownProgram } from './known-programs.js';

export type EndReason = 'Completed' | 'Error' | 'OOMKilled' | 'StartError';

export interface ProgramRun {
  logs: string[];
  /** Undefined: runs until stopped. */
  exit?: { afterSeconds: number; code: number; reason: EndReason; message?: string };
  listeners: Listener[];
  memoryMi: number;
  cpuMilli: number;
  /** Set when the model could not interpret the command: the container then behaves as before the model existed. */
  uninterpreted?: string;
}

/** Mutable state of one run, shared by the shell and the known programs. */
export interface RunState {
  ctx: ProgramContext;
  logs: string[];
  elapsed: number;
  listeners: Listener[];
  heldMi: number;
  cpuMilli: number;
}

/** The container's argv: command replaces ENTRYPOINT, args replaces CMD (and CMD is dropped when only command is set). */
export function containerArgv(spec: ContainerSpec, ctx: ProgramContext): string[] | undefined {
  const entry = spec.command ?? ctx.program?.entrypoint;
  const args = spec.args ?? (spec.command ? [] : ctx.program?.cmd);
  if (entry === undefined || args === undefined) return spec.command || spec.args ? [...(spec.command ?? []), ...(spec.args ?? [])] : undefined;
  return [...entry, ...args];
}

const WRAPPERS = new Set(['docker-entrypoint.sh', '/docker-entrypoint.sh', '/usr/local/bin/docker-entrypoint.sh', '/entrypoint.sh']);

/** Official images' entrypoint scripts exec "$@" (prefixing the default program when the first argument is a flag). */
function unwrapEntrypoint(argv: string[], ctx: ProgramContext): string[] {
  if (!ctx.program || argv.length === 0 || !WRAPPERS.has(argv[0]) || !ctx.program.entrypoint.includes(argv[0])) return argv;
  const rest = argv.slice(1);
  if (rest.length === 0) return ctx.program.cmd;
  return rest[0].startsWith('-') ? [ctx.program.cmd[0], ...rest] : rest;
}

function startError(message: string, state: RunState): ProgramRun {
  return {
    logs: state.logs,
    exit: {
      afterSeconds: 0,
      code: 128,
      reason: 'StartError',
      message: `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${message}: unknown`,
    },
    listeners: [],
    memoryMi: 0,
    cpuMilli: 0,
  };
}

/** The runtime's exec check for argv[0]: undefined when it can start, else the runc error text. */
export function execProblem(name: string, ctx: ProgramContext): string | undefined {
  const state = name.includes('/') ? resolvePath(name, ctx) : onPath(name, ctx);
  if (state === 'missing') return name.includes('/') ? `exec: "${name}": stat ${name}: no such file or directory` : `exec: "${name}": executable file not found in $PATH`;
  if (state === 'noexec') return `exec: "${name}": permission denied`;
  return undefined;
}

const idle = (ctx: ProgramContext): number => ctx.program?.idleMemoryMi ?? 1;

/** What the container's process does. */
export function runProgram(spec: ContainerSpec, ctx: ProgramContext): ProgramRun {
  const state: RunState = { ctx, logs: [], elapsed: 0, listeners: [], heldMi: 0, cpuMilli: ctx.program?.idleCpuMilli ?? 0 };
  const argv = containerArgv(spec, ctx);
  if (!argv || argv.length === 0) return legacy(spec, state, 'no command and an image kube-sim does not model');
  const problem = ctx.program ? execProblem(argv[0], ctx) : undefined;
  if (problem) return startError(problem, state);
  try {
    const code = execute(unwrapEntrypoint(argv, ctx), state, undefined);
    return finish(state, code);
  } catch (signal) {
    if (signal instanceof ExitSignal) return finish(state, signal.code);
    if (signal instanceof ForeverSignal) return { logs: state.logs, listeners: state.listeners, memoryMi: idle(ctx) + state.heldMi, cpuMilli: state.cpuMilli };
    if (signal instanceof OomSignal) {
      const limit = ctx.memoryLimitMi ?? ctx.nodeMemoryMi;
      return { logs: state.logs, exit: { afterSeconds: Math.max(2, state.elapsed), code: 137, reason: 'OOMKilled' }, listeners: [], memoryMi: limit, cpuMilli: 1000 };
    }
    if (signal instanceof Unsupported) return legacy(spec, state, signal.message);
    throw signal;
  }
}

function finish(state: RunState, code: number): ProgramRun {
  return {
    logs: state.logs,
    exit: { afterSeconds: Math.max(1, state.elapsed), code, reason: code === 0 ? 'Completed' : 'Error' },
    listeners: [],
    memoryMi: idle(state.ctx) + state.heldMi,
    cpuMilli: state.cpuMilli,
  };
}

/** The behaviour from before the model: runs, unless a shell script has an `exit N` (N != 0) somewhere. */
function legacy(spec: ContainerSpec, state: RunState, why: string): ProgramRun {
  const code = exitCodeFor(spec, undefined);
  const base = { logs: state.logs, listeners: [], memoryMi: idle(state.ctx), cpuMilli: state.cpuMilli, uninterpreted: why };
  return code === undefined ? base : { ...base, exit: { afterSeconds: 1, code, reason: 'Error' } };
}

const SHELLS: Record<string, ShellInfo['flavor'] | undefined> = { sh: undefined, ash: 'ash', dash: 'dash', bash: 'bash' };

/**
 * Runs argv as a process: a shell (`sh -c SCRIPT`, `sh FILE`), a known program, or Unsupported.
 * `caller` is the shell that started it (its message wording), or undefined for the container's own process.
 */
export function execute(argv: string[], state: RunState, caller: { shell: ShellInfo; line: number } | undefined, logged = true): number {
  const [name, ...args] = argv;
  const base = name.split('/').pop() ?? name;
  const { ctx } = state;
  if (caller) {
    const found = name.includes('/') ? resolvePath(name, ctx) : onPath(name, ctx);
    if (found === 'missing' || found === 'noexec') {
      state.logs.push(shellErrorMessage(caller.shell, caller.line, name, found));
      return found === 'missing' ? 127 : 126;
    }
    if (found === 'unknown' && !(base in SHELLS) && !ctx.program) throw new Unsupported(`"${name}" in an image kube-sim does not model`);
  }
  if (base in SHELLS) {
    const flavor: ShellInfo['flavor'] = SHELLS[base] ?? (ctx.program?.shell === 'ash' ? 'ash' : ctx.program?.shell === 'dash' ? 'dash' : 'ash');
    const shell: ShellInfo = { flavor, arg0: name };
    let i = 0;
    while (i < args.length && /^-[a-zA-Z]+$/.test(args[i]) && !args[i].includes('c')) i++;
    if (args[i] !== undefined && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(args[i])) {
      if (args[i + 1] === undefined) throw new Unsupported(`${name} -c without a script`);
      return new ShellInterpreter(shellHost(state, logged), shell).run(args[i + 1]);
    }
    if (args[i] === undefined) return 0; // no tty and no stdin: the shell reads EOF and exits 0
    const file = resolvePath(args[i], ctx);
    if (file === 'missing') {
      const arg0 = name;
      state.logs.push(
        flavor === 'ash' ? `${arg0}: can't open '${args[i]}': No such file or directory` : flavor === 'dash' ? `${arg0}: 0: cannot open ${args[i]}: No such file` : `${arg0}: ${args[i]}: No such file or directory`,
      );
      return flavor === 'bash' ? 127 : 2;
    }
    throw new Unsupported(`the script file ${args[i]}`);
  }
  return runKnownProgram(base, args, state, logged);
}

function shellHost(state: RunState, logged: boolean): ShellHost {
  return {
    env: state.ctx.env,
    unknownEnv: state.ctx.unknownEnv,
    envFromUnknown: state.ctx.envFromUnknown,
    log: (line) => {
      if (logged) state.logs.push(line);
    },
    sleep: (seconds) => {
      state.elapsed += seconds;
      if (!Number.isFinite(state.elapsed)) throw new ForeverSignal();
    },
    external: (argv, shell, line, log) => execute(argv, state, { shell, line }, logged && log),
  };
}
