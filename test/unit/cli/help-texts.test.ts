// Help texts name only settings and commands that exist.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandEntries } from '../../../backend/src/cli/commands.js';
import { envSchema } from '../../../backend/src/config/schema.js';

async function allHelp(): Promise<string> {
  const program = new Command('oncall-agent');
  for (const entry of commandEntries) (await entry.load())(program);
  let text = program.helpInformation();
  for (const command of program.commands) {
    let out = '';
    command.configureOutput({ writeOut: (s) => (out += s) });
    command.outputHelp();
    text += out;
  }
  return text;
}

describe('CLI help texts', () => {
  it('every setting they name is a configuration variable', async () => {
    const named = [...new Set((await allHelp()).match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? [])];
    expect(named.length).toBeGreaterThan(3);
    const known = new Set([...Object.keys(envSchema.shape), 'DOTENV_PATH']);
    expect(named.filter((n) => !known.has(n))).toEqual([]);
  });

  it('every `oncall-agent <command>` they mention exists', async () => {
    const mentioned = [...(await allHelp()).matchAll(/oncall-agent ([a-z]+)/g)].map((m) => m[1]);
    const names = new Set(commandEntries.map((e) => e.name));
    expect(mentioned.filter((m) => !names.has(m))).toEqual([]);
  });
});
