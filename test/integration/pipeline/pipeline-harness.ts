// The whole engine on kube-sim: the composition root (createAgent) from a real Config (KUBECONFIG → the sim, in-process
// safety store, JSONL audit in a temp dir), the triage pipeline run directly, the real kubectl for setup and checks, pino captured.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig, type Config } from '../../../backend/src/config/index.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';
import type { Incident } from '../../../backend/src/domain/incident.js';
import { createLogger, type Logger } from '../../../backend/src/observability/logger.js';
import { createMetrics } from '../../../backend/src/observability/metrics.js';
import { createAgent, type Agent } from '../../../backend/src/app/create-agent.js';
import type { ExecutionReport } from '../../../backend/src/domain/execution-report.js';
import type { IncidentOutcome } from '../../../backend/src/domain/outcome.js';
import type { RemediationProposal } from '../../../backend/src/domain/proposal.js';
import { eventually, type Kubectl } from '../../helpers/kubectl.js';

export interface Pipeline {
  running: Agent;
  config: Config;
  logger: Logger;
  /** The triage pipeline with a fresh signal. */
  run(incident: Incident): Promise<{ proposal: RemediationProposal; report: ExecutionReport; outcome: IncidentOutcome }>;
  audit(incidentId?: string): AuditEvent[];
  logText(): string;
  close(): Promise<void>;
}

/** Fast defaults for e2e: YOLO with destructive operations, short verification windows, no cooldown between cases. */
export const FAST_ENV: Record<string, string> = {
  EXECUTION_MODE: 'yolo',
  K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
  VERIFY_DEADLINE_SECONDS: '60',
  VERIFY_POLL_MS: '200',
  NO_CRASHLOOP_WINDOW_SECONDS: '3',
  TARGET_COOLDOWN_SECONDS: '0',
  LOG_LEVEL: 'info',
};

export function createPipeline(kubeconfigPath: string, env: Record<string, string> = {}): Pipeline {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-e2e-'));
  const auditPath = join(dir, 'audit.jsonl');
  const config = loadConfig({ ...FAST_ENV, KUBECONFIG: kubeconfigPath, AUDIT_JSONL_PATH: auditPath, STATE_DIR: join(dir, 'state'), ...env }, join(dir, 'no.env'));
  const stream = new PassThrough();
  let logged = '';
  stream.on('data', (chunk: Buffer) => (logged += chunk.toString('utf8')));
  const logger = createLogger(config.LOG_LEVEL, { destination: stream });
  const running = createAgent(config, { logger, metrics: createMetrics(), workerId: `e2e-${process.pid}` });
  const audit = (incidentId?: string): AuditEvent[] => {
    if (!existsSync(auditPath)) return [];
    const all = readFileSync(auditPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent);
    return incidentId ? all.filter((e) => e.incidentId === incidentId) : all;
  };
  return {
    running,
    config,
    logger,
    run: (incident) => running.triage(incident, { logger }),
    audit,
    logText: () => logged,
    close: () => running.close(),
  };
}

let seq = 0;
export function incident(title: string, details: Record<string, unknown> = {}): Incident {
  seq += 1;
  return { id: `PE2E${process.pid}X${seq}`, title, details, source: 'pagerduty', serviceId: 'PSVC001' };
}

export interface DeploymentOptions {
  image?: string;
  replicas?: number;
  command?: string[];
  memoryLimit?: string;
  annotations?: Record<string, string>;
  readinessProbe?: boolean;
  envFrom?: unknown[];
}

export function deployment(ns: string, name: string, o: DeploymentOptions = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: o.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: { ...o.annotations } },
        spec: {
          containers: [
            {
              name: 'app',
              image: o.image ?? 'nginx:1.25',
              ...(o.command ? { command: o.command } : {}),
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: o.memoryLimit ?? '256Mi' } },
              ...(o.readinessProbe ? { readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 2, failureThreshold: 1 } } : {}),
              ...(o.envFrom ? { envFrom: o.envFrom } : {}),
            },
          ],
        },
      },
    },
  };
}

export async function apply(kubectl: Kubectl, ...objects: unknown[]): Promise<void> {
  for (const object of objects) await kubectl.ok(['apply', '-f', '-'], { input: JSON.stringify(object) });
}

export async function rolledOut(kubectl: Kubectl, ns: string, name: string): Promise<void> {
  await kubectl.ok(['rollout', 'status', `deployment/${name}`, '-n', ns, '--timeout=90s'], { timeoutMs: 100_000 });
}

interface PodJson {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  status?: {
    phase?: string;
    conditions?: Array<{ type: string; status: string; reason?: string }>;
    containerStatuses?: Array<{ ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string } }; lastState?: { terminated?: { reason?: string } } }>;
  };
}

/** A Deployment of `replicas` behind a Service of the same name, rolled out and then scaled to 0: a Service with no endpoints. */
export async function scaledToZeroBehindService(kubectl: Kubectl, ns: string, name: string, replicas: number): Promise<void> {
  await apply(kubectl, deployment(ns, name, { replicas }), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { selector: { app: name }, ports: [{ port: 80 }] },
  });
  await rolledOut(kubectl, ns, name);
  await kubectl.ok(['scale', `deployment/${name}`, '--replicas=0', '-n', ns]);
  await eventually(async () => (await pods(kubectl, ns, `app=${name}`)).length === 0, 60_000);
}

export async function pods(kubectl: Kubectl, ns: string, selector: string): Promise<PodJson[]> {
  return (JSON.parse(await kubectl.ok(['get', 'pods', '-n', ns, '-l', selector, '-o', 'json'])) as { items: PodJson[] }).items;
}

export const waitingReasons = (p: PodJson): string[] => (p.status?.containerStatuses ?? []).map((s) => s.state?.waiting?.reason ?? '').filter(Boolean);
export const isReady = (p: PodJson): boolean => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** All pods of the selector are Running and Ready (and there are at least n, none terminating), through kubectl. */
export async function allRunningReady(kubectl: Kubectl, ns: string, selector: string, n: number): Promise<boolean> {
  const list = (await pods(kubectl, ns, selector)).filter((p) => !p.metadata.deletionTimestamp);
  return list.length >= n && list.every((p) => p.status?.phase === 'Running' && isReady(p));
}

/** The audit record types of one incident, in order. */
export const types = (events: AuditEvent[]): string[] => events.map((e) => e.type);
