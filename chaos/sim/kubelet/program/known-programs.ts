// The programs the engine knows by name: sleepers, memory hogs (tail /dev/zero, stress, dd into tmpfs, python and
// node allocation loops), the images' servers, interpreters pointed at missing files, and harmless utilities.
// Anything else throws Unsupported.
import type { RunState } from './run-program.js';
import { resolvePath } from './program-context.js';
import { ForeverSignal, OomSignal, sleepSeconds } from './shell-interpreter.js';
import { Unsupported } from './shell-parse.js';

const HARMLESS = new Set(['ls', 'mkdir', 'touch', 'cp', 'mv', 'rm', 'chmod', 'chown', 'ln', 'id', 'whoami', 'uname', 'pwd', 'sync', 'true']);

/** Allocates `mi` more MiB; over the container limit (or the node's memory without one) the kernel OOM-kills it. */
function allocate(state: RunState, mi: number): void {
  state.heldMi += mi;
  const limit = state.ctx.memoryLimitMi ?? state.ctx.nodeMemoryMi;
  if ((state.ctx.program?.idleMemoryMi ?? 1) + state.heldMi > limit) {
    state.elapsed += 2;
    throw new OomSignal();
  }
}

/** "250M", "1G", "512m", "100k" (stress and dd sizes: powers of 1024) in MiB. */
function sizeMi(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)([bkKmMgG]?)i?[bB]?$/.exec(raw);
  if (!m) throw new Unsupported(`size ${raw}`);
  const unit = { '': 1 / 2 ** 20, b: 512 / 2 ** 20, k: 1 / 1024, K: 1 / 1024, m: 1, M: 1, g: 1024, G: 1024 }[m[2]] ?? 1;
  return Number(m[1]) * unit;
}

function onTmpfs(path: string, state: RunState): boolean {
  if (path.startsWith('/dev/shm/')) return true;
  return state.ctx.mounts.some((m) => m.kind === 'tmpfs' && (path === m.path || path.startsWith(`${m.path}/`)));
}

const ALLOC_LOOP = /(while\s*(True|1|\(\s*true\s*\))|for\s*\(\s*;\s*;\s*\)|for\s+\w+\s+in\s+range\s*\(|setInterval)/;
const ALLOC_CALL = /(append\s*\(|bytearray\s*\(|bytes\s*\(|\*\s*\d{4,}|\d{4,}\s*\*|\.push\s*\(|Buffer\.alloc|new\s+Array\s*\(|\.fill\s*\(|\+=\s*['"])/;

function interpreterCode(code: string, kind: 'python' | 'node', state: RunState, logged: boolean): number {
  if (ALLOC_LOOP.test(code) && ALLOC_CALL.test(code)) {
    state.cpuMilli = 1000;
    allocate(state, Infinity);
  }
  const listen = kind === 'node' ? /\.listen\s*\(\s*(\d+)/.exec(code) : /HTTPServer\s*\(\s*\(\s*['"][^'"]*['"]\s*,\s*(\d+)/.exec(code);
  if (listen) {
    state.listeners.push({ port: Number(listen[1]), http: { okPaths: ['*'] } });
    throw new ForeverSignal();
  }
  const printer = kind === 'python' ? /^\s*print\s*\(\s*(['"])(.*?)\1\s*\)\s*$/ : /^\s*console\.log\s*\(\s*(['"`])(.*?)\1\s*\)\s*$/;
  const statements = code.split(/[;\n]/).filter((s) => s.trim() !== '');
  if (statements.length > 0 && statements.every((s) => printer.test(s))) {
    if (logged) for (const s of statements) state.logs.push((printer.exec(s) as RegExpExecArray)[2]);
    return 0;
  }
  throw new Unsupported(`${kind} code`);
}

function interpreter(kind: 'python' | 'node', args: string[], state: RunState, logged: boolean): number {
  const rest = args.filter((a) => !/^-[uBOIS]+$/.test(a));
  if (rest.length === 0) return 0; // a REPL without a tty reads EOF and exits 0
  if (kind === 'python' && rest[0] === '-c') return interpreterCode(rest[1] ?? '', kind, state, logged);
  if (kind === 'node' && (rest[0] === '-e' || rest[0] === '--eval')) return interpreterCode(rest[1] ?? '', kind, state, logged);
  if (kind === 'python' && rest[0] === '-m' && rest[1] === 'http.server') {
    const port = Number(rest.slice(2).find((a) => /^\d+$/.test(a)) ?? 8000);
    state.listeners.push({ port, http: { okPaths: ['/'] } });
    throw new ForeverSignal();
  }
  if (rest[0].startsWith('-')) throw new Unsupported(`${kind} ${rest[0]}`);
  const file = rest[0];
  if (resolvePath(file, state.ctx) !== 'missing') throw new Unsupported(`the ${kind} program ${file}`);
  const absolute = file.startsWith('/') ? file : `${state.ctx.workingDir.replace(/\/$/, '')}/${file}`;
  if (kind === 'python') {
    state.logs.push(`python3: can't open file '${absolute}': [Errno 2] No such file or directory`);
    return 2;
  }
  state.logs.push(
    'node:internal/modules/cjs/loader:1228',
    '  throw err;',
    '  ^',
    '',
    `Error: Cannot find module '${absolute}'`,
    '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)',
    "  code: 'MODULE_NOT_FOUND',",
    '  requireStack: []',
    '}',
  );
  return 1;
}

function stress(args: string[], state: RunState, logged: boolean): number {
  let vm = 0;
  let bytes = 256;
  let cpu = 0;
  let timeout: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=');
    const value = inline ?? args[i + 1];
    if (inline === undefined && ['--vm', '-m', '--vm-bytes', '--cpu', '-c', '--timeout', '-t', '--io', '-i', '--hdd', '-d'].includes(flag)) i++;
    if (flag === '--vm' || flag === '-m') vm = Number(value);
    else if (flag === '--vm-bytes') bytes = sizeMi(value);
    else if (flag === '--cpu' || flag === '-c') cpu = Number(value);
    else if (flag === '--timeout' || flag === '-t') timeout = sleepSeconds(value);
  }
  if (logged) state.logs.push(`stress: info: [1] dispatching hogs: ${cpu} cpu, 0 io, ${vm} vm, 0 hdd`);
  state.cpuMilli = Math.max(state.cpuMilli, (cpu + vm) * 1000);
  if (vm > 0) allocate(state, vm * bytes);
  if (timeout === undefined) throw new ForeverSignal();
  state.elapsed += timeout;
  if (logged) state.logs.push(`stress: info: [1] successful run completed in ${timeout}s`);
  return 0;
}

function dd(args: string[], state: RunState, logged: boolean): number {
  const opts = new Map(args.map((a) => a.split('=') as [string, string]));
  const input = opts.get('if');
  const output = opts.get('of');
  const bs = sizeMi(opts.get('bs') ?? '512');
  const count = opts.has('count') ? Number(opts.get('count')) : Infinity;
  if (input === '/dev/zero' || input === '/dev/urandom') {
    if (output && onTmpfs(output, state)) allocate(state, bs * count);
    else if (!Number.isFinite(count)) throw new ForeverSignal();
  } else throw new Unsupported(`dd if=${input ?? 'stdin'}`);
  if (logged) state.logs.push(`${count}+0 records in`, `${count}+0 records out`);
  return 0;
}

/** Runs a program by its base name; returns its exit status or throws a signal / Unsupported. */
export function runKnownProgram(name: string, args: string[], state: RunState, logged: boolean): number {
  const { ctx } = state;
  const servers = ctx.program?.servers ?? {};
  const server = servers[name] ?? Object.entries(servers).find(([k]) => k.split('/').pop() === name)?.[1];
  if (server) {
    if (args.some((a) => ['-t', '-v', '-V', '--version', '-h', '--help'].includes(a))) return 0;
    const required = ctx.program?.requiredEnv;
    if (required && !required.anyOf.some((n) => (ctx.env.get(n) ?? '') !== '' || ctx.unknownEnv.has(n)) && !ctx.envFromUnknown) {
      state.logs.push(...required.message);
      return required.exitCode;
    }
    state.listeners.push(...server);
    throw new ForeverSignal();
  }
  switch (name) {
    case 'sleep':
      state.elapsed += args.reduce((t, a) => t + sleepSeconds(a), 0);
      if (!Number.isFinite(state.elapsed)) throw new ForeverSignal();
      return 0;
    case 'true':
      return 0;
    case 'false':
      return 1;
    case 'echo':
      if (logged) state.logs.push(args.filter((a) => a !== '-n' && a !== '-e').join(' '));
      return 0;
    case 'tail':
      if (args.includes('/dev/zero')) {
        state.cpuMilli = 1000;
        allocate(state, Infinity);
      }
      if (args.includes('-f') || args.includes('-F') || args.includes('--follow')) throw new ForeverSignal();
      throw new Unsupported(`tail ${args.join(' ')}`);
    case 'yes':
      state.cpuMilli = 1000;
      throw new ForeverSignal();
    case 'stress':
      return stress(args, state, logged);
    case 'dd':
      return dd(args, state, logged);
    case 'pause':
      throw new ForeverSignal();
    case 'env':
    case 'printenv':
      if (args.length > 0) throw new Unsupported(`${name} ${args.join(' ')}`);
      if (logged) for (const [k, v] of ctx.env) state.logs.push(`${k}=${v}`);
      return 0;
    case 'hostname':
      if (logged) state.logs.push(ctx.podName);
      return 0;
    case 'date':
      if (logged) state.logs.push(new Date().toUTCString().replace('GMT', 'UTC'));
      return 0;
    default:
      break;
  }
  if (/^python(\d(\.\d+)?)?$/.test(name)) return interpreter('python', args, state, logged);
  if (name === 'node' || name === 'nodejs') return interpreter('node', args, state, logged);
  if (HARMLESS.has(name)) return 0;
  if (name === 'curl' && args.length === 0) {
    state.logs.push("curl: try 'curl --help' or 'curl --manual' for more information");
    return 2;
  }
  throw new Unsupported(`"${[name, ...args].join(' ').slice(0, 80)}"`);
}
