// `serve --sim` and `oncall-agent sim`: the simulated cluster's kubeconfig path, and what `serve --sim` sets up so a
// new user needs no configuration: a webhook signing secret for the run, and healthy demo workloads to break.
// Never used outside --sim: production images never start the simulator, and a real daemon never invents a secret.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The one kubeconfig path of the simulated cluster, for `sim` and `serve --sim` alike. */
export const simKubeconfigPath = (stateDir: string) => join(stateDir, 'kube-sim', 'kubeconfig');

/** Where `serve --sim` keeps the signing secret it generated; `oncall-agent page` reads it. */
export const simSecretPath = (stateDir: string) => join(stateDir, 'sim-webhook-secret');

/** A fresh secret for this run, written (owner-only) where `page` finds it. */
export function generateSimSecret(stateDir: string): { secret: string; path: string } {
  const secret = `sim-${randomBytes(24).toString('base64url')}`;
  const path = simSecretPath(stateDir);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return { secret, path };
}

export function readSimSecret(stateDir: string): string | undefined {
  try {
    return readFileSync(simSecretPath(stateDir), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface EmbeddedSim {
  kubeconfigPath: string;
  url: string;
  seeded: string[];
  stop(): Promise<void>;
}

export async function startEmbeddedSim(stateDir: string, options: { seed: boolean }): Promise<EmbeddedSim> {
  // Imported only here: production images never start the simulator.
  const { startSim } = await import('../../../chaos/sim/start-sim.js');
  const { seedDemoWorkloads, DEMO_NAMESPACE } = await import('../../../chaos/sim/seed-demo-workloads.js');
  const sim = await startSim({ kubeconfigPath: simKubeconfigPath(stateDir) });
  const seeded = options.seed ? seedDemoWorkloads(sim.store).map((w) => `${DEMO_NAMESPACE}/${w}`) : [];
  return { kubeconfigPath: sim.kubeconfigPath, url: sim.url, seeded, stop: () => sim.stop() };
}
