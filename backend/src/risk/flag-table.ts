import { GLOBAL_FLAGS, KUBECTL_COMMANDS } from './kubectl-flags.js';

/** How kubectl's flag library (pflag) treats one flag: this decides which words are positional arguments. */
export interface FlagSpec {
  long: string;
  short?: string;
  /** Consumes the next word when written without "=". */
  takesValue: boolean;
  /** Takes a value only as --flag=value; bare --flag uses a default (pflag NoOptDefVal). */
  optionalValue: boolean;
  global: boolean;
}

export interface FlagTable {
  byLong: Map<string, FlagSpec>;
  byShort: Map<string, FlagSpec>;
}

// pflag NoOptDefVal flags in kubectl: a bare `--dry-run` means "client", a bare `--cascade` "background", a bare
// `--validate` "strict". They do NOT swallow the next word (checked against kubectl 1.32: `delete --dry-run pods x`).
const OPTIONAL_VALUE = new Set(['dry-run', 'cascade', 'validate']);

function decode(encoded: string, global: boolean): FlagSpec[] {
  return encoded
    .split(' ')
    .filter(Boolean)
    .map((item) => {
      const [short, rest] = item.includes(':') ? item.split(':') : [undefined, item];
      const takes = rest.endsWith('=');
      const long = takes ? rest.slice(0, -1) : rest;
      const optionalValue = OPTIONAL_VALUE.has(long);
      return { long, short, takesValue: takes && !optionalValue, optionalValue, global };
    });
}

const GLOBAL_SPECS = decode(GLOBAL_FLAGS, true);
const cache = new Map<string, FlagTable>();

/** Flags accepted by a command path ("" = the root, i.e. only the global flags). */
export function flagTableFor(commandPath: string): FlagTable {
  const hit = cache.get(commandPath);
  if (hit) return hit;
  const local = commandPath ? decode(KUBECTL_COMMANDS[commandPath]?.flags ?? '', false) : [];
  const table: FlagTable = { byLong: new Map(), byShort: new Map() };
  // Local flags first so a command's own meaning wins (debug --profile is not the global --profile).
  for (const spec of [...local, ...GLOBAL_SPECS]) {
    if (!table.byLong.has(spec.long)) table.byLong.set(spec.long, spec);
    if (spec.short && !table.byShort.has(spec.short)) table.byShort.set(spec.short, spec);
  }
  cache.set(commandPath, table);
  return table;
}

export function isKnownCommand(commandPath: string): boolean {
  return commandPath in KUBECTL_COMMANDS;
}

/** The subcommand a word names under a command ("no" under "top" → "node"), or undefined. */
export function resolveSubcommand(commandPath: string, word: string): string | undefined {
  const subs = KUBECTL_COMMANDS[commandPath]?.subs ?? [];
  if (subs.includes(word)) return word;
  return subs.find((sub) => (KUBECTL_COMMANDS[`${commandPath} ${sub}`]?.aliases ?? []).includes(word));
}

export function hasSubcommands(commandPath: string): boolean {
  return (KUBECTL_COMMANDS[commandPath]?.subs?.length ?? 0) > 0;
}
