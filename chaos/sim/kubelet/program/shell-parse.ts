// A bounded POSIX shell parser for the scripts people put in manifests (`sh -c "..."`): simple commands with
// quotes, $VAR / ${VAR} / ${VAR:-x} expansion, redirections, pipes, `&&`, `||`, `;`, `&`, `if/elif/else/fi` and
// `while|until ... do ... done`. Anything else (for, case, functions, subshells, $(...), backticks, here-docs)
// throws Unsupported: the engine then lets the container run as before and says so.

export class Unsupported extends Error {}

/** A word: segments whose quoting decides whether `$` expands. */
export type Word = Array<{ text: string; quote: 'none' | 'double' | 'single' }>;

export interface SimpleCommand {
  type: 'simple';
  assignments: Array<{ name: string; value: Word }>;
  words: Word[];
  /** Output redirected away from the log (`> file`, `>/dev/null`). */
  stdoutRedirected: boolean;
  line: number;
}
export interface IfClause {
  type: 'if';
  branches: Array<{ condition: List; body: List }>;
  otherwise?: List;
}
export interface LoopClause {
  type: 'while' | 'until';
  condition: List;
  body: List;
}
export type Command = SimpleCommand | IfClause | LoopClause;
export interface Pipeline {
  commands: Command[];
  negated: boolean;
}
export interface AndOr {
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }>;
  background: boolean;
}
export type List = AndOr[];

type Token = { kind: 'word'; word: Word; line: number } | { kind: 'op'; op: string; line: number };

const OPERATORS = ['&&', '||', '>>', '2>&1', '>&2', '1>&2', '&>', '2>', '1>', ';', '|', '&', '>', '<', '\n', '(', ')'];

function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let word: Word | undefined;
  const push = (text: string, quote: 'none' | 'double' | 'single'): void => {
    word ??= [];
    const last = word.at(-1);
    if (last && last.quote === quote) last.text += text;
    else word.push({ text, quote });
  };
  const endWord = (): void => {
    if (word) tokens.push({ kind: 'word', word, line });
    word = undefined;
  };
  while (i < script.length) {
    const ch = script[i];
    if (ch === '\\' && script[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      i++;
      continue;
    }
    if (ch === '#' && !word) {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    if (ch === '`' || (ch === '$' && script[i + 1] === '(')) throw new Unsupported('command substitution');
    if (ch === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) throw new Unsupported('unterminated quote');
      push(script.slice(i + 1, end), 'single');
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let text = '';
      while (j < script.length && script[j] !== '"') {
        if (script[j] === '\\' && '"\\$`'.includes(script[j + 1] ?? '')) {
          text += script[j + 1];
          j += 2;
          continue;
        }
        if (script[j] === '`' || (script[j] === '$' && script[j + 1] === '(')) throw new Unsupported('command substitution');
        text += script[j++];
      }
      if (j >= script.length) throw new Unsupported('unterminated quote');
      push(text, 'double');
      i = j + 1;
      continue;
    }
    if (ch === '\\') {
      push(script[i + 1] ?? '', 'single');
      i += 2;
      continue;
    }
    const op = OPERATORS.find((o) => script.startsWith(o, i));
    // `2>` and friends are operators only at the start of a word.
    if (op && !(word && /^\d/.test(op))) {
      if (op === '<' && script[i + 1] === '<') throw new Unsupported('here-document');
      endWord();
      tokens.push({ kind: 'op', op, line });
      if (op === '\n') line++;
      i += op.length;
      continue;
    }
    push(ch, 'none');
    i++;
  }
  endWord();
  return tokens;
}

const literal = (w: Word): string | undefined => (w.every((s) => s.quote === 'none') ? w.map((s) => s.text).join('') : undefined);
const RESERVED_UNSUPPORTED = new Set(['for', 'case', 'esac', 'function', 'select', '{', '}', '((']);

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): List {
    const list = this.list([]);
    if (this.pos < this.tokens.length) throw new Unsupported(`unexpected ${this.describe(this.tokens[this.pos])}`);
    return list;
  }

  private describe(t: Token): string {
    return t.kind === 'op' ? `"${t.op === '\n' ? '\\n' : t.op}"` : `"${literal(t.word) ?? 'word'}"`;
  }

  private peekWord(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'word' ? literal(t.word) : undefined;
  }

  private peekOp(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'op' ? t.op : undefined;
  }

  private skipSeparators(): void {
    while (this.peekOp() === '\n' || this.peekOp() === ';') this.pos++;
  }

  private expectWord(w: string): void {
    this.skipSeparators();
    if (this.peekWord() !== w) throw new Unsupported(`expected "${w}"`);
    this.pos++;
  }

  /** Parses and/or lists until one of `stops` (reserved words) is next. */
  private list(stops: string[]): List {
    const out: List = [];
    for (;;) {
      this.skipSeparators();
      if (this.pos >= this.tokens.length) return out;
      const next = this.peekWord();
      if (next !== undefined && stops.includes(next)) return out;
      const item = this.andOr();
      if (this.peekOp() === '&') {
        item.background = true;
        this.pos++;
      }
      out.push(item);
    }
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    while (this.peekOp() === '&&' || this.peekOp() === '||') {
      const op = this.peekOp() as '&&' | '||';
      this.pos++;
      while (this.peekOp() === '\n') this.pos++;
      rest.push({ op, pipeline: this.pipeline() });
    }
    return { first, rest, background: false };
  }

  private pipeline(): Pipeline {
    let negated = false;
    if (this.peekWord() === '!') {
      negated = true;
      this.pos++;
    }
    const commands = [this.command()];
    while (this.peekOp() === '|') {
      this.pos++;
      commands.push(this.command());
    }
    return { commands, negated };
  }

  private command(): Command {
    const w = this.peekWord();
    if (w === 'if') return this.ifClause();
    if (w === 'while' || w === 'until') {
      this.pos++;
      const condition = this.list(['do']);
      this.expectWord('do');
      const body = this.list(['done']);
      this.expectWord('done');
      return { type: w, condition, body };
    }
    if (w !== undefined && RESERVED_UNSUPPORTED.has(w)) throw new Unsupported(`"${w}"`);
    return this.simple();
  }

  private ifClause(): IfClause {
    this.pos++;
    const branches: IfClause['branches'] = [];
    let condition = this.list(['then']);
    this.expectWord('then');
    let body = this.list(['elif', 'else', 'fi']);
    branches.push({ condition, body });
    let otherwise: List | undefined;
    for (;;) {
      this.skipSeparators();
      const w = this.peekWord();
      this.pos++;
      if (w === 'elif') {
        condition = this.list(['then']);
        this.expectWord('then');
        body = this.list(['elif', 'else', 'fi']);
        branches.push({ condition, body });
      } else if (w === 'else') {
        otherwise = this.list(['fi']);
        this.expectWord('fi');
        return { type: 'if', branches, otherwise };
      } else if (w === 'fi') return { type: 'if', branches, otherwise };
      else throw new Unsupported('unterminated if');
    }
  }

  private simple(): SimpleCommand {
    const cmd: SimpleCommand = { type: 'simple', assignments: [], words: [], stdoutRedirected: false, line: this.tokens[this.pos]?.line ?? 1 };
    for (;;) {
      const t = this.tokens[this.pos];
      if (!t) break;
      if (t.kind === 'op') {
        if (['>', '>>', '&>', '1>', '2>', '<'].includes(t.op)) {
          this.pos++;
          const target = this.tokens[this.pos];
          if (target?.kind !== 'word') throw new Unsupported('redirection without a target');
          this.pos++;
          if (t.op === '>' || t.op === '>>' || t.op === '&>' || t.op === '1>') cmd.stdoutRedirected = true;
          continue;
        }
        if (['2>&1', '>&2', '1>&2'].includes(t.op)) {
          this.pos++;
          continue;
        }
        if (t.op === '(' || t.op === ')') throw new Unsupported('subshell');
        break;
      }
      const text = literal(t.word);
      const assignment = cmd.words.length === 0 ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(t.word[0]?.quote === 'none' ? t.word[0].text : '') : null;
      if (assignment) {
        const first = { ...t.word[0], text: t.word[0].text.slice(assignment[0].length) };
        cmd.assignments.push({ name: assignment[1], value: [first, ...t.word.slice(1)] });
      } else {
        if (cmd.words.length === 0 && text !== undefined && ['then', 'do', 'done', 'fi', 'else', 'elif'].includes(text)) throw new Unsupported(`unexpected "${text}"`);
        cmd.words.push(t.word);
      }
      this.pos++;
    }
    if (cmd.words.length === 0 && cmd.assignments.length === 0) throw new Unsupported('empty command');
    return cmd;
  }
}

/** Parses a script; throws Unsupported for what the bounded subset does not cover. */
export function parseShell(script: string): List {
  return new Parser(tokenize(script)).parseAll();
}

/** Expands one word against `env` ($VAR, ${VAR}, ${VAR:-default}, $?); `unknown` names variables whose value we cannot know. */
export function expandWord(word: Word, env: Map<string, string>, lastStatus: number, unknown: Set<string>): string {
  let out = '';
  for (const seg of word) {
    if (seg.quote === 'single') {
      out += seg.text;
      continue;
    }
    out += seg.text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*)|([?$#0]))/g, (_m, braced, fallback, bare, special) => {
      if (special === '?') return String(lastStatus);
      if (special === '$') return '1';
      if (special === '#') return '0';
      if (special === '0') return 'sh';
      const name = (braced ?? bare) as string;
      if (unknown.has(name)) throw new Unsupported(`the value of $${name} (set from a reference)`);
      const value = env.get(name);
      if ((value === undefined || value === '') && fallback !== undefined) return fallback;
      return value ?? '';
    });
  }
  return out;
}
