import { execa } from 'execa';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessCommand } from '../../../backend/src/risk/index.js';
import { tokenizeCommandLine } from '../../../backend/src/risk/tokenize.js';

/**
 * kubectl runs binaries named kubectl-<verb> (and, since 1.29, kubectl-create-<word> for a create sub-verb it does not
 * know) from PATH. Whatever the real kubectl v1.32 hands to such a plugin, the scorer must forbid: it is an arbitrary
 * program on the agent's machine. No cluster is needed: the plugin runs before kubectl reads a kubeconfig.
 */

const MARKER = 'AUDIT-PLUGIN-RAN';

// [command line, does the real kubectl run the plugin?]
const rows: Array<[string, boolean]> = [
  ['kubectl auditplug', true],
  ['kubectl auditplug delete ns prod', true],
  ['kubectl create auditplug x', true],
  ['kubectl create auditplug -f x.yaml', true],
  // Built-in sub-verbs win over a same-named plugin; the scorer keeps its own level for them.
  ['kubectl create secret auditplug x', false],
];

describe('plugins: the scorer forbids whatever the real kubectl would hand to a plugin', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubectl-plugins-'));
    for (const name of ['kubectl-auditplug', 'kubectl-create-auditplug', 'kubectl-create-secret-auditplug']) {
      await writeFile(join(dir, name), `#!/bin/sh\necho ${MARKER} "$@"\n`);
      await chmod(join(dir, name), 0o755);
    }
    env = { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`, KUBECONFIG: join(dir, 'no-kubeconfig') };
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(rows)('%s (runs the plugin: %s)', async (line, runsPlugin) => {
    const words = tokenizeCommandLine(line);
    if (!words.ok) throw new Error(words.reason);
    const result = await execa('kubectl', words.words.slice(1), { env, extendEnv: true, reject: false, timeout: 20_000 });
    expect(result.stdout.includes(MARKER), `${result.stdout}\n${result.stderr}`.slice(0, 400)).toBe(runsPlugin);
    const a = assessCommand(line, { protectedNamespaces: [], denyList: [] });
    if (runsPlugin) {
      expect(a.level, JSON.stringify(a.reasons)).toBe('forbidden');
      expect(a.reasons[0]).toMatch(/plugin/);
    } else {
      expect(a.level).not.toBe('forbidden');
    }
  });
});
