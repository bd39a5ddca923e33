import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { RISK_ORDER } from '../../../backend/src/domain/risk.js';
import { assessCommand } from '../../../backend/src/risk/index.js';
import { tokenizeCommandLine } from '../../../backend/src/risk/tokenize.js';

/**
 * Differential test for "reading Secret data → high": each line runs through the real kubectl v1.32 against kube-sim
 * holding a Secret with a known value. Whenever kubectl's output carries the value (base64, as Secrets print), the
 * scorer must say at least high. The `prints` column pins what kubectl does, so the test cannot pass vacuously.
 */

const VALUE = 'hunter2-audit';
const B64 = Buffer.from(VALUE).toString('base64');

// [command line, does the real kubectl print the Secret's data?]
const rows: Array<[string, boolean]> = [
  ['kubectl get secret db -n shop -o yaml', true],
  ['kubectl get secret db -n shop -o YAML', true],
  ['kubectl get secret db -n shop -o Json', true],
  ["kubectl get secret db -n shop --output=jsonpath-as-json='{.data}'", true],
  ["kubectl get secret db -n shop -o 'custom-columns=D:.data'", true],
  ['kubectl label secret db -n shop audit=1 --overwrite -o yaml', true],
  ["kubectl annotate secret db -n shop audit=1 --overwrite -o 'jsonpath={.data}'", true],
  ['kubectl wait secret/db -n shop --for=create -o json', true],
  ['kubectl get secret db -n shop', false],
  ['kubectl get secret db -n shop -o name', false],
  ['kubectl get secret db -n shop -o wide', false],
  ['kubectl describe secret db -n shop', false],
  ['kubectl label secret db -n shop audit=2 --overwrite', false],
];

describe('Secret data in kubectl output is always at least high (real kubectl on kube-sim)', () => {
  let sim: RunningSim;
  let cacheDir: string;
  const kubectl = (args: string[]) => execa('kubectl', ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', cacheDir, ...args], { reject: false, timeout: 30_000 });
  beforeAll(async () => {
    sim = await startSim({ withoutControllers: true });
    cacheDir = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
    await kubectl(['create', 'namespace', 'shop']);
    const created = await kubectl(['create', 'secret', 'generic', 'db', '-n', 'shop', `--from-literal=password=${VALUE}`]);
    expect(created.exitCode, created.stderr).toBe(0);
  });
  afterAll(async () => {
    await sim?.stop();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it.each(rows)('%s (prints data: %s)', async (line, prints) => {
    const words = tokenizeCommandLine(line);
    if (!words.ok) throw new Error(words.reason);
    const result = await kubectl(words.words.slice(1));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.includes(B64) || result.stdout.includes(VALUE), result.stdout.slice(0, 300)).toBe(prints);

    const a = assessCommand(line, { protectedNamespaces: [], denyList: [] });
    if (prints) {
      expect(RISK_ORDER.indexOf(a.level), JSON.stringify(a.reasons)).toBeGreaterThanOrEqual(RISK_ORDER.indexOf('high'));
      expect(a.level).not.toBe('forbidden');
    }
  });
});
