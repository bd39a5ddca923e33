// The lazily loaded command table: every entry registers exactly the command it is named for, and a command line
// selects only its own entry (so `risk` never loads what `approve` needs).
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandEntries, registerCommands, selectCommand } from '../../../backend/src/cli/commands.js';

describe('command table', () => {
  it('each entry registers the command of its name, once', async () => {
    for (const entry of commandEntries) {
      const program = new Command('oncall-agent');
      (await entry.load())(program);
      expect(program.commands.map((c) => c.name())).toEqual([entry.name]);
    }
  });

  it('selects the named command only; no command or an unknown one loads them all (for the help)', async () => {
    expect(selectCommand(['risk', '--json', '--', 'kubectl', 'get', 'pods'])?.name).toBe('risk');
    expect(selectCommand(['--help'])).toBeUndefined();
    expect(selectCommand(['help', 'risk'])).toBeUndefined();
    const all = new Command('oncall-agent');
    await registerCommands(all, ['--help']);
    expect(all.commands.map((c) => c.name()).sort()).toEqual(commandEntries.map((e) => e.name).sort());
    const one = new Command('oncall-agent');
    await registerCommands(one, ['status', '--json']);
    expect(one.commands.map((c) => c.name())).toEqual(['status']);
  });
});
