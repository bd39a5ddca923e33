// Shared wiring for diagnosis integration tests: kube-sim + the real client-node reader.
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { createKubeConfig } from '../../../backend/src/cluster/create-kube-config.js';
import { createClientNodeReader } from '../../../backend/src/cluster/client-node-reader.js';
import type { ClusterReader } from '../../../backend/src/domain/ports.js';
import type { Incident } from '../../../backend/src/domain/incident.js';
import type { DiagnoseDeps } from '../../../backend/src/diagnose/index.js';
import { silentLogger } from '../../../backend/src/observability/logger.js';
import { createMetrics } from '../../../backend/src/observability/metrics.js';

export interface Harness {
  sim: RunningSim;
  reader: ClusterReader;
  stop(): Promise<void>;
}

export async function startHarness(options: { withoutControllers?: boolean; nodes?: number; speed?: number } = {}): Promise<Harness> {
  const sim = await startSim({ withoutControllers: options.withoutControllers ?? true, nodes: options.nodes, speed: options.speed });
  const reader = createClientNodeReader(createKubeConfig({ KUBECONFIG: sim.kubeconfigPath }));
  return { sim, reader, stop: () => sim.stop() };
}

export function incident(title: string, details: Record<string, unknown> = {}, id = `P${Math.random().toString(36).slice(2, 8).toUpperCase()}`): Incident {
  return { id, title, details, source: 'pagerduty', serviceId: 'PSVC001' };
}

export function baseDeps(reader: ClusterReader, overrides: Partial<DiagnoseDeps> = {}): DiagnoseDeps {
  return {
    reader,
    config: { LLM_MAX_TOOL_ROUNDS: 8, LLM_FALLBACK_TO_RUNBOOK: true, RUNBOOK_MEMORY_LIMIT_CAP_MI: 1024, NO_CRASHLOOP_WINDOW_SECONDS: 30 },
    logger: silentLogger(),
    metrics: createMetrics(),
    ...overrides,
  };
}
