import type { ProposedAction } from '../../domain/proposal.js';
import type { RunbookFacts } from './gather-runbook-facts.js';
import type { ContainerSpec, Probe } from './read-workload.js';
import { templatePostconditions } from './plan-rollback.js';
import type { RunbookSettings } from './rule-types.js';

export interface ProbeCheck {
  container: ContainerSpec;
  probe: Probe;
  /** "HTTP GET :8081/healthz", "TCP :5432", "exec …" */
  describe: string;
  port?: number | string;
  declared: number[];
  /** The probe's port is not among the container's declared ports (named ports resolved). */
  mismatch: boolean;
}

export function checkProbe(container: ContainerSpec, which: 'livenessProbe' | 'readinessProbe'): ProbeCheck | undefined {
  const probe = container[which];
  if (!probe) return undefined;
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  const declared = (container.ports ?? []).map((p) => p.containerPort);
  const resolved = typeof port === 'string' && !/^\d+$/.test(port) ? container.ports?.find((p) => p.name === port)?.containerPort : port === undefined ? undefined : Number(port);
  const describe = probe.httpGet ? `HTTP GET :${port}${probe.httpGet.path ?? '/'}` : probe.tcpSocket ? `TCP :${port}` : probe.grpc ? `gRPC :${port}` : `exec ${(probe.exec?.command ?? []).join(' ').slice(0, 80)}`;
  const mismatch = port !== undefined && declared.length > 0 && (resolved === undefined || !declared.includes(resolved));
  return { container, probe, describe, port, declared, mismatch };
}

/** Set the probe's port to the container's only declared port (strategic merge by container name). */
export function probePortFix(facts: RunbookFacts, settings: RunbookSettings, check: ProbeCheck, which: 'livenessProbe' | 'readinessProbe'): ProposedAction | undefined {
  const w = facts.workload;
  if (!w || !(w.kind === 'Deployment' || w.kind === 'StatefulSet' || w.kind === 'DaemonSet') || !check.mismatch || check.declared.length !== 1) return undefined;
  const handler = check.probe.httpGet ? 'httpGet' : check.probe.tcpSocket ? 'tcpSocket' : check.probe.grpc ? 'grpc' : undefined;
  if (!handler || !/^[a-z0-9-]+$/.test(check.container.name)) return undefined;
  const port = check.declared[0];
  const body = `{"spec":{"template":{"spec":{"containers":[{"name":"${check.container.name}","${which}":{"${handler}":{"port":${port}}}}]}}}}`;
  return {
    command: `kubectl patch ${w.ref} -n ${w.namespace} --type=strategic -p '${body}'`,
    description: `Set the ${which === 'livenessProbe' ? 'liveness' : 'readiness'} probe port of ${check.container.name} from ${check.port} to ${port}, the container's only declared port (a human confirms)`,
    confidence: 0.75,
    expectedEffect: `the ${which === 'livenessProbe' ? 'liveness' : 'readiness'} probe of ${w.name} passes and its pods ${which === 'livenessProbe' ? 'stop restarting' : 'become ready'}`,
    postconditions: templatePostconditions(w, settings, which === 'livenessProbe'),
  };
}
