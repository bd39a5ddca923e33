import { createKubectlRunner } from '../cluster/kubectl-runner.js';
import type { Config } from '../config/index.js';
import type { AuditSink, Clock, ClusterReader, KubectlRunner } from '../domain/ports.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ActionLedger } from '../ledger/action-ledger.js';
import { createActionLedger } from '../ledger/create-action-ledger.js';
import type { SafetyStore } from '../safety/safety-store.js';
import { systemClock } from '../verify/system-clock.js';
import type { ExecuteDeps } from './execute-deps.js';
import { createRiskPort } from './risk-port.js';

/** Wires the execute stage from config and the process's shared ports; called by the composition root only. */
export function createExecuteDeps(
  config: Config,
  ports: { reader: ClusterReader; runner?: KubectlRunner; safety: SafetyStore; ledger?: ActionLedger; audit: AuditSink; logger: Logger; metrics?: Metrics; clock?: Clock; workerId?: string },
): ExecuteDeps {
  return {
    config,
    runner: ports.runner ?? createKubectlRunner({
      kubectlPath: config.KUBECTL_PATH,
      kubeconfig: config.KUBECONFIG,
      context: config.KUBE_CONTEXT,
      timeoutMs: config.KUBECTL_TIMEOUT_MS,
      maxOutputBytes: config.KUBECTL_MAX_OUTPUT_BYTES,
    }),
    reader: ports.reader,
    breakers: ports.safety,
    killSwitch: ports.safety,
    limits: ports.safety,
    marks: ports.safety,
    approvals: ports.safety,
    ledger: ports.ledger ?? createActionLedger(config),
    audit: ports.audit,
    clock: ports.clock ?? systemClock,
    logger: ports.logger,
    metrics: ports.metrics,
    risk: createRiskPort(config, ports.reader),
    workerId: ports.workerId ?? `worker-${process.pid}`,
  };
}
