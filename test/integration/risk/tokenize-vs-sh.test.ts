import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { quoteWords } from '../../../backend/src/cli/risk-command.js';
import { tokenizeCommandLine } from '../../../backend/src/risk/tokenize.js';

/**
 * Differential test: every line our tokenizer ACCEPTS must split into exactly the words POSIX sh (/bin/sh) produces.
 * Lines come from a seeded generator over an alphabet rich in quoting and shell metacharacters. Accepted lines contain
 * no expansion or operator by construction, so handing them to sh as `printf` arguments runs nothing; PATH is emptied
 * anyway so that a tokenizer bug could not start a program.
 */

function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const ALPHABET = ['a', 'b', 'k', ' ', ' ', "'", "'", '"', '"', '\\', '\\', '$', '`', ';', '|', '&', '(', ')', '-', '=', '#', '*', '~', '{', '}', '!', ':', '/', ',', '.', '\t', '\u00e9', '\u0435'];

function generate(count: number, seed: number): string[] {
  const rand = prng(seed);
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const length = 1 + Math.floor(rand() * 14);
    let body = '';
    for (let j = 0; j < length; j += 1) body += ALPHABET[Math.floor(rand() * ALPHABET.length)];
    lines.push(`kubectl ${body}`);
  }
  return lines;
}

describe('tokenizer agrees with /bin/sh on every line it accepts', () => {
  it('20,000 generated lines', async () => {
    const accepted = generate(20_000, 20261121)
      .map((line) => ({ line, result: tokenizeCommandLine(line) }))
      .filter((x): x is { line: string; result: { ok: true; words: string[] } } => x.result.ok);
    expect(accepted.length).toBeGreaterThan(1000);

    // One sh process: per line, print each word (kubectl first, so no line is empty) followed by \x1f, then \x1e.
    const script = accepted.map(({ line }) => `printf '%s\\037' kubectl ${line.slice('kubectl '.length)}; printf '\\036'`).join('\n');
    const { stdout } = await execa('/bin/sh', ['-c', script], { env: { PATH: '' }, extendEnv: false });
    const shWords = stdout.split('\x1e').slice(0, -1).map((record) => record.split('\x1f').slice(0, -1));
    expect(shWords).toHaveLength(accepted.length);
    accepted.forEach(({ line, result }, i) => {
      expect(result.words, JSON.stringify(line)).toEqual(shWords[i]);
    });
  });

  it('quoteWords round-trips through the tokenizer', () => {
    const rand = prng(7);
    for (let i = 0; i < 500; i += 1) {
      const words = Array.from({ length: 1 + Math.floor(rand() * 4) }, () =>
        Array.from({ length: Math.floor(rand() * 8) }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join('').replace(/\t/g, ''),
      );
      const line = `kubectl ${quoteWords(words)}`;
      expect(tokenizeCommandLine(line), line).toEqual({ ok: true, words: ['kubectl', ...words] });
    }
  });
});
