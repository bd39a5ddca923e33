import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The parser's flag tables are generated from `kubectl --help`; they must match the kubectl the agent runs.
describe('kubectl-flags.ts', () => {
  it('matches the kubectl on PATH', async () => {
    const script = fileURLToPath(new URL('../../../scripts/generate-kubectl-flags.mjs', import.meta.url));
    const result = await execa('node', [script, '--check'], { reject: false, timeout: 120_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^kubectl-flags\.ts matches Client Version: v1\.32\./);
  });
});
