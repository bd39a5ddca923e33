// Runs a parsed script against the program model: builtins here, every other command through `external`.
// Control flow (exit, a program that runs forever, an OOM kill) travels as thrown signals.
import type { Command, List, Pipeline, SimpleCommand } from './shell-parse.js';
import { Unsupported, expandWord, parseShell } from './shell-parse.js';

export class ExitSignal {
  constructor(readonly code: number) {}
}
/** The script reached a program that runs until stopped. */
export class ForeverSignal {}
/** The container's memory went over its limit. */
export class OomSignal {}

export type ShellFlavor = 'ash' | 'dash' | 'bash';

export interface ShellHost {
  env: Map<string, string>;
  unknownEnv: Set<string>;
  envFromUnknown?: boolean;
  log(line: string): void;
  sleep(seconds: number): void;
  /** Runs a non-builtin command; returns its exit status or throws a signal / Unsupported. */
  external(argv: string[], shell: ShellInfo, line: number, logged: boolean): number;
}

export interface ShellInfo {
  flavor: ShellFlavor;
  /** $0 as invoked ("sh", "/bin/sh", "bash"): it prefixes the shell's own error messages. */
  arg0: string;
}

/** Seconds in a sleep argument ("30", "1.5", "5m", "1d", "infinity"). */
export function sleepSeconds(arg: string): number {
  if (arg === 'infinity' || arg === 'inf') return Infinity;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
  if (!m) throw new Unsupported(`sleep ${arg}`);
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}

export function evaluateTest(args: string[]): boolean {
  const a = [...args];
  if (a.length > 0 && a[0] === '!') return !evaluateTest(a.slice(1));
  const idx = a.findIndex((x) => x === '-a' || x === '&&');
  if (idx > 0) return evaluateTest(a.slice(0, idx)) && evaluateTest(a.slice(idx + 1));
  const ido = a.findIndex((x) => x === '-o' || x === '||');
  if (ido > 0) return evaluateTest(a.slice(0, ido)) || evaluateTest(a.slice(ido + 1));
  if (a.length === 0) return false;
  if (a.length === 1) return a[0] !== '';
  if (a.length === 2) {
    if (a[0] === '-z') return a[1] === '';
    if (a[0] === '-n') return a[1] !== '';
    throw new Unsupported(`test ${a[0]}`);
  }
  if (a.length === 3) {
    const [l, op, r] = a;
    const num = (x: string): number => {
      if (!/^-?\d+$/.test(x.trim())) throw new Unsupported(`test: ${x}: integer expression expected`);
      return Number(x);
    };
    switch (op) {
      case '=':
      case '==':
        return l === r;
      case '!=':
        return l !== r;
      case '-eq':
        return num(l) === num(r);
      case '-ne':
        return num(l) !== num(r);
      case '-lt':
        return num(l) < num(r);
      case '-le':
        return num(l) <= num(r);
      case '-gt':
        return num(l) > num(r);
      case '-ge':
        return num(l) >= num(r);
      default:
        break;
    }
  }
  throw new Unsupported(`test ${a.join(' ')}`);
}

/** Loops run at most this many times before we call the script "runs forever". */
const LOOP_LIMIT = 50;

export class ShellInterpreter {
  private status = 0;
  private errexit = false;

  constructor(private readonly host: ShellHost, private readonly shell: ShellInfo) {}

  /** Runs `script` to its end; returns the exit status (or throws ExitSignal/ForeverSignal/OomSignal/Unsupported). */
  run(script: string): number {
    const list = parseShell(script);
    try {
      this.runList(list);
    } catch (signal) {
      if (signal instanceof ExitSignal) return signal.code;
      throw signal;
    }
    return this.status;
  }

  private runList(list: List): number {
    for (const item of list) {
      if (item.background) throw new Unsupported('a background job (&)');
      let status = this.runPipeline(item.first);
      let lastRan = -1;
      item.rest.forEach(({ op, pipeline }, i) => {
        if ((op === '&&' && status === 0) || (op === '||' && status !== 0)) {
          status = this.runPipeline(pipeline);
          lastRan = i;
        }
      });
      this.status = status;
      // set -e ignores failures on the left of && / ||: only the list's last command counts.
      if (this.errexit && status !== 0 && lastRan === item.rest.length - 1) throw new ExitSignal(status);
    }
    return this.status;
  }

  private runPipeline(p: Pipeline): number {
    let status = 0;
    p.commands.forEach((c, i) => {
      status = this.runCommand(c, i < p.commands.length - 1);
    });
    return p.negated ? (status === 0 ? 1 : 0) : status;
  }

  private runCommand(c: Command, piped: boolean): number {
    if (c.type === 'if') {
      for (const b of c.branches) {
        if (this.conditionStatus(b.condition) === 0) return this.runList(b.body);
      }
      return c.otherwise ? this.runList(c.otherwise) : 0;
    }
    if (c.type === 'while' || c.type === 'until') {
      for (let i = 0; i < LOOP_LIMIT; i++) {
        const s = this.conditionStatus(c.condition);
        if ((c.type === 'while') !== (s === 0)) return 0;
        this.runList(c.body);
      }
      throw new ForeverSignal();
    }
    return this.runSimple(c as SimpleCommand, piped);
  }

  private conditionStatus(list: List): number {
    const saved = this.errexit;
    this.errexit = false;
    try {
      return this.runList(list);
    } finally {
      this.errexit = saved;
    }
  }

  private expand(c: SimpleCommand): string[] {
    const { env, unknownEnv } = this.host;
    const unknown = new Set(unknownEnv);
    if (this.host.envFromUnknown) {
      // With envFrom any variable the manifest does not set literally might come from the referenced object.
      for (const w of c.words) for (const s of w) for (const m of s.text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) if (!env.has(m[1])) unknown.add(m[1]);
    }
    return c.words.map((w) => expandWord(w, env, this.status, unknown));
  }

  private runSimple(c: SimpleCommand, piped: boolean): number {
    const argv = this.expand(c);
    if (argv.length === 0) {
      for (const a of c.assignments) this.host.env.set(a.name, expandWord(a.value, this.host.env, this.status, this.host.unknownEnv));
      return 0;
    }
    const [name, ...args] = argv;
    const logged = !c.stdoutRedirected && !piped;
    switch (name) {
      case 'exit':
        throw new ExitSignal(args[0] === undefined ? this.status : Number(args[0]) & 255);
      case 'true':
      case ':':
        return 0;
      case 'false':
        return 1;
      case 'echo': {
        let rest = args;
        let newline = true;
        while (rest[0] === '-n' || rest[0] === '-e') {
          if (rest[0] === '-n') newline = false;
          rest = rest.slice(1);
        }
        // Log lines are whole lines: `echo -n` text joins the next line in a real log; we keep it as its own line.
        if (logged && (newline || rest.length)) this.host.log(rest.join(' '));
        return 0;
      }
      case 'printf': {
        if (logged && args.length) {
          let i = 1;
          const text = args[0].replace(/%[sd]/g, () => args[i++] ?? '').replace(/\\n/g, '\n');
          for (const l of text.replace(/\n$/, '').split('\n')) this.host.log(l);
        }
        return 0;
      }
      case 'sleep':
        this.host.sleep(args.reduce((t, a) => t + sleepSeconds(a), 0));
        return 0;
      case 'test':
        return evaluateTest(args) ? 0 : 1;
      case '[':
      case '[[': {
        const close = name === '[' ? ']' : ']]';
        if (args.at(-1) !== close) throw new Unsupported(`${name} without ${close}`);
        return evaluateTest(args.slice(0, -1)) ? 0 : 1;
      }
      case 'cd':
      case 'umask':
      case 'ulimit':
      case 'trap':
      case 'wait':
      case 'shift':
        return 0;
      case 'export':
      case 'readonly':
      case 'local':
        for (const a of args) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
          if (m) this.host.env.set(m[1], m[2]);
        }
        return 0;
      case 'unset':
        for (const a of args) this.host.env.delete(a);
        return 0;
      case 'set':
        for (const a of args) if (/^-[a-z]*e/.test(a)) this.errexit = true;
        return 0;
      case 'exec':
        if (args.length === 0) return 0;
        throw new ExitSignal(this.host.external(args, this.shell, c.line, logged));
      default:
        return this.host.external(argv, this.shell, c.line, logged);
    }
  }
}

/** The shell's own "not found" / "Permission denied" message, worded as ash, dash or bash write it. */
export function shellErrorMessage(shell: ShellInfo, line: number, name: string, problem: 'missing' | 'noexec'): string {
  if (shell.flavor === 'ash') return `${shell.arg0}: ${name}: ${problem === 'missing' ? 'not found' : 'Permission denied'}`;
  if (shell.flavor === 'dash') return `${shell.arg0}: ${line}: ${name}: ${problem === 'missing' ? 'not found' : 'Permission denied'}`;
  const what = problem === 'noexec' ? 'Permission denied' : name.includes('/') ? 'No such file or directory' : 'command not found';
  return `${shell.arg0}: line ${line}: ${name}: ${what}`;
}
