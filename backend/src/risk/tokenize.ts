/**
 * Splits one kubectl command line into words the way a POSIX shell would, without ever running a shell.
 *
 * The agent executes the resulting argv with execa, so no shell ever sees the text. We still refuse anything a shell
 * would treat specially: a human reads these command lines (approval page, plan preview, audit) as shell commands, and
 * what they read must be exactly what runs. If the shell and our tokenizer could disagree, we refuse.
 */

export type TokenizeResult = { ok: true; words: string[] } | { ok: false; reason: string };

/** Characters a shell gives meaning to when unquoted. Escaped with a backslash they are literal and allowed. */
const UNQUOTED_OPERATORS = new Set([';', '|', '&', '<', '>', '(', ')', '`', '$']);
// Globbing and brace/tilde/comment syntax: a shell would rewrite these words (pathname expansion, `{a,b}`, `~`, `#…`),
// so the argv we run would differ from what the person approving read. kubectl never needs them unquoted.
const UNQUOTED_EXPANSIONS = new Set(['*', '?', '[', ']', '{', '}']);

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  // We never normalise (kubectl does not, so a normalised reading would differ from what runs); NFKC only helps the
  // reason name what a fullwidth or compatibility letter imitates. Cross-script look-alikes (Cyrillic е) have no
  // NFKC mapping, which is why we refuse rather than fold.
  const folded = ch.normalize('NFKC');
  return folded !== ch && isAsciiPrintable(folded) ? `${name} (looks like "${folded}")` : name;
}

/**
 * Non-printing characters anywhere (even quoted): C0/C1 controls incl. tab and newline, DEL, format characters such as
 * zero-width spaces and bidi overrides (they make text read differently from what runs), separators other than the
 * ASCII space, private-use, surrogates and unassigned code points.
 */
const NON_PRINTING = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

/** Splits a command line into words, or explains why it must be refused (the caller files it as "shell syntax"). */
export function tokenizeCommandLine(line: string): TokenizeResult {
  const bad = NON_PRINTING.exec(line);
  if (bad) return { ok: false, reason: `non-printing character ${describeChar(bad[0])} at position ${bad.index}` };

  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const chars = Array.from(line);
  const fail = (reason: string): TokenizeResult => ({ ok: false, reason });

  while (i < chars.length) {
    const ch = chars[i];
    if (ch === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
      continue;
    }
    if (ch === "'") {
      const end = chars.indexOf("'", i + 1);
      if (end < 0) return fail('unterminated single quote');
      word += chars.slice(i + 1, end).join('');
      inWord = true;
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      i += 1;
      let closed = false;
      while (i < chars.length) {
        const c = chars[i];
        if (c === '"') {
          closed = true;
          i += 1;
          break;
        }
        // Inside double quotes a shell still expands $name, $(…) and `…`. We never expand anything, so allowing them
        // would make our argv differ from what a person pasting the line into a shell (or reading it) expects — and
        // "$(...)" in a command proposed by a model is an injection attempt whichever way it is read.
        if (c === '$' || c === '`') return fail(`"${c}" inside double quotes (a shell would expand it)`);
        if (c === '\\') {
          const next = chars[i + 1];
          if (next === undefined) return fail('unterminated double quote');
          // POSIX: inside double quotes a backslash escapes only $ ` " \ and newline; otherwise it stays literal.
          if (next === '"' || next === '\\' || next === '$' || next === '`') {
            word += next;
            i += 2;
            continue;
          }
          word += c;
          i += 1;
          continue;
        }
        word += c;
        i += 1;
      }
      if (!closed) return fail('unterminated double quote');
      inWord = true;
      continue;
    }
    if (ch === '\\') {
      const next = chars[i + 1];
      if (next === undefined) return fail('trailing backslash');
      if (!isAsciiPrintable(next)) return fail(`non-ASCII character ${describeChar(next)} outside quotes`);
      word += next;
      inWord = true;
      i += 2;
      continue;
    }
    if (!isAsciiPrintable(ch)) return fail(`non-ASCII character ${describeChar(ch)} outside quotes`);
    if (UNQUOTED_OPERATORS.has(ch)) return fail(`unquoted "${ch}"`);
    if (UNQUOTED_EXPANSIONS.has(ch)) return fail(`unquoted "${ch}" (a shell would expand it)`);
    if (ch === '~') return fail('unquoted "~" (a shell would expand it to a home directory)');
    if (!inWord && ch === '#') return fail('unquoted "#" at the start of a word (a shell would drop the rest as a comment)');
    word += ch;
    inWord = true;
    i += 1;
  }
  if (inWord) words.push(word);
  if (words.length === 0) return fail('empty command');
  if (words[0] !== 'kubectl') return fail(`first word must be "kubectl", got "${words[0].slice(0, 40)}"`);
  return { ok: true, words };
}

export function isAsciiPrintable(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}
