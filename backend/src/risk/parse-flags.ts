import { flagTableFor, hasSubcommands, isKnownCommand, resolveSubcommand, type FlagTable } from './flag-table.js';

export interface FlagOccurrence {
  /** Canonical long name, without dashes ("namespace" for -n). Unknown flags keep their spelling. */
  name: string;
  value: string | boolean;
  /** The word(s) as written, for reasons ("-nkube-system"). */
  raw: string;
  known: boolean;
  /** True when it appeared before the verb. */
  beforeVerb: boolean;
  /** A flag that takes a value ended the line ("get pods -f"): kubectl refuses it; we cannot read it. */
  missingValue?: boolean;
}

export interface SplitArgs {
  /** ["rollout", "undo"], ["create", "secret", "generic"]; [] when there is no verb. */
  commandPath: string[];
  knownCommand: boolean;
  flags: FlagOccurrence[];
  positionals: string[];
  /** Words after a bare "--" (the command of exec/run/debug). */
  afterDash: string[];
  problems: string[];
}

interface RawFlag {
  index: number;
  /** Number of words consumed (1, or 2 when the value is the next word). */
  width: number;
  occurrence: FlagOccurrence;
}

/**
 * Reads one flag word the way pflag does: "--name=value", "--name value", bare booleans, "-n value", "-nvalue",
 * "-n=value", and bundled shorthands ("-it"). Returns the flags found and how many words were used.
 */
function readFlag(words: string[], index: number, table: FlagTable, beforeVerb: boolean): RawFlag[] {
  const word = words[index];
  const next = words[index + 1];
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    // kubectl normalises "_" to "-" in flag names (--all_namespaces is --all-namespaces, --as_group is --as-group).
    const name = (eq >= 0 ? word.slice(2, eq) : word.slice(2)).replace(/_/g, '-');
    const spec = table.byLong.get(name);
    if (eq >= 0) return [{ index, width: 1, occurrence: { name, value: word.slice(eq + 1), raw: word, known: !!spec, beforeVerb } }];
    if (spec?.takesValue) {
      return [{ index, width: next === undefined ? 1 : 2, occurrence: { name, value: next ?? '', raw: `${word} ${next ?? ''}`.trim(), known: true, beforeVerb, missingValue: next === undefined || undefined } }];
    }
    return [{ index, width: 1, occurrence: { name, value: true, raw: word, known: !!spec, beforeVerb } }];
  }
  // Shorthand bundle: each letter is a flag until one takes a value; the rest of the word (minus "=") is that value.
  const out: RawFlag[] = [];
  const letters = word.slice(1);
  for (let j = 0; j < letters.length; j += 1) {
    const letter = letters[j];
    const spec = table.byShort.get(letter);
    const rest = letters.slice(j + 1);
    const name = spec?.long ?? letter;
    if (rest.startsWith('=')) {
      out.push({ index, width: 1, occurrence: { name, value: rest.slice(1), raw: word, known: !!spec, beforeVerb } });
      return out;
    }
    if (spec?.takesValue) {
      if (rest) out.push({ index, width: 1, occurrence: { name, value: rest, raw: word, known: true, beforeVerb } });
      else out.push({ index, width: next === undefined ? 1 : 2, occurrence: { name, value: next ?? '', raw: `${word} ${next ?? ''}`.trim(), known: true, beforeVerb, missingValue: next === undefined || undefined } });
      return out;
    }
    out.push({ index, width: 1, occurrence: { name, value: true, raw: word, known: !!spec, beforeVerb } });
  }
  return out;
}

const isFlagWord = (w: string) => w.startsWith('-') && w !== '-' && w !== '--';

/**
 * Finds the command path as cobra does (global flags may precede the verb; a sub-verb is the next positional when the
 * command has subcommands), then parses every flag with the leaf command's table.
 */
export function splitArgs(args: string[]): SplitArgs {
  const problems: string[] = [];
  const commandPath: string[] = [];
  const pathIndexes = new Set<number>();
  let i = 0;
  while (i < args.length) {
    const word = args[i];
    if (word === '--') break;
    const level = commandPath.join(' ');
    if (isFlagWord(word)) {
      const flags = readFlag(args, i, flagTableFor(level), commandPath.length === 0);
      if (commandPath.length === 0) {
        for (const f of flags) {
          const spec = flagTableFor('').byLong.get(f.occurrence.name);
          if (!spec) problems.push(`flag ${f.occurrence.raw.split(/[= ]/)[0]} before the verb is not a global kubectl flag`);
        }
      }
      i += Math.max(...flags.map((f) => f.width));
      continue;
    }
    if (commandPath.length === 0) {
      commandPath.push(word);
      pathIndexes.add(i);
      if (!isKnownCommand(word)) break;
    } else if (hasSubcommands(level)) {
      const sub = resolveSubcommand(level, word);
      if (!sub) break;
      commandPath.push(sub);
      pathIndexes.add(i);
    } else {
      break;
    }
    i += 1;
  }

  const leaf = commandPath.join(' ');
  const knownCommand = commandPath.length > 0 && isKnownCommand(leaf);
  const table = flagTableFor(knownCommand ? leaf : '');
  const flags: FlagOccurrence[] = [];
  const positionals: string[] = [];
  let afterDash: string[] = [];
  const verbIndex = Math.min(...pathIndexes);
  i = 0;
  while (i < args.length) {
    const word = args[i];
    if (word === '--') {
      afterDash = args.slice(i + 1);
      break;
    }
    if (isFlagWord(word)) {
      const read = readFlag(args, i, table, i < verbIndex);
      const width = Math.max(...read.map((f) => f.width));
      for (let k = i + 1; k < i + width; k += 1) {
        if (pathIndexes.has(k)) problems.push(`"${args[k]}" reads both as a command and as the value of ${word}`);
      }
      for (const f of read) {
        if (f.occurrence.missingValue) problems.push(`flag ${f.occurrence.raw} needs a value`);
        flags.push(f.occurrence);
      }
      i += width;
      continue;
    }
    if (!pathIndexes.has(i)) positionals.push(word);
    i += 1;
  }
  return { commandPath, knownCommand, flags, positionals, afterDash, problems };
}
