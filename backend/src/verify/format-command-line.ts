/**
 * Joins an argv into one command line that a POSIX-style tokenizer splits back into the same words: plain words
 * stay bare, others are single-quoted (or double-quoted when they contain a single quote and nothing special).
 * Throws when a word cannot be quoted safely, rather than produce a line that would split differently.
 */
export function formatCommandLine(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_\-./=:,@%+]+$/.test(word)) return word;
  if (!word.includes("'")) return `'${word}'`;
  if (!/["$`\\]/.test(word)) return `"${word}"`;
  throw new Error(`cannot quote argument safely: ${word.slice(0, 40)}`);
}
