// Builds the real pipeline from config: one KubeConfig, one safety store, one audit trail, shared by every job.
import { createClientNodeReader } from '../cluster/client-node-reader.js';
import { createEventWriterFromKubeConfig } from '../cluster/client-node-event-writer.js';
import { createKubeConfig } from '../cluster/create-kube-config.js';
import { createAuditTrail, type AuditTrail } from '../audit/create-audit.js';
import type { Config } from '../config/index.js';
import { diagnoseIncident, createDiagnoseDeps } from '../diagnose/index.js';
import { createExecuteDeps } from '../execute/create-execute-deps.js';
import { executeProposal } from '../execute/execute-proposal.js';
import type { ExecuteDeps } from '../execute/execute-deps.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { markApprovalsOfResolvedIncident } from '../safety/approvals.js';
import { createSafetyStore } from '../safety/create-safety-store.js';
import type { SafetyStore } from '../safety/safety-store.js';
import type { ActiveJobsSource } from '../tools/types.js';
import type { PipelineDeps } from './handle-incident.js';

export interface RunningPipeline {
  deps: PipelineDeps;
  safety: SafetyStore;
  audit: AuditTrail;
  /** The execute stage's ports (the approvals API and CLI run approved plans through them). */
  execute: ExecuteDeps;
  close(): Promise<void>;
}

export function createPipelineDeps(
  config: Config,
  ports: { logger: Logger; metrics: Metrics; activeJobs?: ActiveJobsSource; workerId?: string },
): RunningPipeline {
  const kc = createKubeConfig(config);
  const reader = createClientNodeReader(kc, { timeoutMs: config.CLUSTER_READ_TIMEOUT_MS });
  const safety = createSafetyStore(config);
  const audit = createAuditTrail(config, { logger: ports.logger, eventWriter: createEventWriterFromKubeConfig(kc) });
  const diagnoseDeps = createDiagnoseDeps(config, ports.logger, ports.metrics, { activeJobs: ports.activeJobs, reader });
  const execute = createExecuteDeps(config, { reader, safety, audit: audit.sink, logger: ports.logger, metrics: ports.metrics, workerId: ports.workerId });

  const deps: PipelineDeps = {
    audit: audit.sink,
    diagnose: (incident, logger, signal) => diagnoseIncident(incident, { ...diagnoseDeps, logger }, signal),
    execute: (incident, proposal, logger, signal) => executeProposal({ ...execute, logger, signal }, incident, proposal),
    onIncidentResolved: async (incidentId) => {
      await markApprovalsOfResolvedIncident({ store: safety, now: Date.now }, incidentId);
    },
  };
  return {
    deps,
    safety,
    audit,
    execute,
    close: async () => {
      await Promise.allSettled([safety.close(), audit.close(), diagnoseDeps.externalTools?.close()]);
    },
  };
}
