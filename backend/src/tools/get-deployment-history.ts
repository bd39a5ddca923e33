import { z } from 'zod/v4';
import type { ClusterReader } from '../domain/ports.js';
import type { KubeObject } from '../domain/kube.js';
import { defineTool } from './types.js';
import { nameSchema, namespaceSchema } from './schemas.js';
import { selectorOf } from './format.js';
import { REVISION_ANNOTATION } from './get-deployment.js';
import { isPodHealthy, podReason } from './pod-summary.js';

const MAX_REVISIONS = 10;

export interface RevisionSummary {
  revision: number;
  replicaSet: string;
  createdAt?: string;
  images: string[];
  resources: Record<string, unknown>;
  replicas: number;
  /** The deployment.kubernetes.io/desired-replicas annotation: the Deployment's size when this RS was last scaled. */
  desiredReplicas?: number;
  readyReplicas: number;
  pods: number;
  unhealthyPods: number;
  /** Reasons of unhealthy pods (CrashLoopBackOff, ImagePullBackOff, OOMKilled…), deduplicated. */
  podReasons: string[];
  health: 'healthy' | 'unhealthy' | 'scaled-down' | 'progressing';
}

/** The ReplicaSets a Deployment owns, newest revision first, each with its pods' health. */
export async function readDeploymentHistory(reader: ClusterReader, deployment: KubeObject): Promise<RevisionSummary[]> {
  const namespace = deployment.metadata.namespace ?? '';
  const selector = selectorOf(deployment.spec?.selector?.matchLabels);
  const [replicaSets, pods] = await Promise.all([
    reader.list('ReplicaSet', namespace, { labelSelector: selector }),
    reader.list('Pod', namespace, { labelSelector: selector }),
  ]);
  return summariseHistory(deployment, replicaSets, pods);
}

/** Pure: the revisions of one Deployment from its ReplicaSets and pods. */
export function summariseHistory(deployment: KubeObject, replicaSets: KubeObject[], pods: KubeObject[]): RevisionSummary[] {
  const owned = replicaSets.filter((rs) =>
    rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && (o.uid === deployment.metadata.uid || o.name === deployment.metadata.name)),
  );
  return owned
    .map((rs) => summariseRevision(rs, pods))
    .sort((a, b) => b.revision - a.revision)
    .slice(0, MAX_REVISIONS);
}

function summariseRevision(rs: KubeObject, pods: KubeObject[]): RevisionSummary {
  // Pods already being deleted (a scale-down mid-rollout) say nothing about the revision's health.
  const own = pods.filter((p) => !p.metadata.deletionTimestamp && p.metadata.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name === rs.metadata.name));
  const unhealthy = own.filter((p) => !isPodHealthy(p));
  const containers = (rs.spec?.template?.spec?.containers as Array<{ name: string; image: string; resources?: unknown }>) ?? [];
  const replicas = Number(rs.spec?.replicas ?? 0);
  const ready = Number(rs.status?.readyReplicas ?? 0);
  const reasons = [...new Set(unhealthy.map((p) => podReason(p)).filter((r): r is string => Boolean(r)))];
  let health: RevisionSummary['health'];
  if (replicas === 0 && own.length === 0) health = 'scaled-down';
  else if (unhealthy.length === 0 && ready >= Math.max(1, Math.min(replicas, own.length))) health = 'healthy';
  else if (reasons.length > 0 || unhealthy.some((p) => p.status?.phase === 'Running')) health = 'unhealthy';
  else health = 'progressing';
  return {
    revision: Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0),
    replicaSet: rs.metadata.name ?? '?',
    createdAt: rs.metadata.creationTimestamp,
    images: containers.map((c) => `${c.name}=${c.image}`),
    resources: Object.fromEntries(containers.map((c) => [c.name, c.resources ?? {}])),
    replicas,
    desiredReplicas: rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'] ? Number(rs.metadata.annotations['deployment.kubernetes.io/desired-replicas']) : undefined,
    readyReplicas: ready,
    pods: own.length,
    unhealthyPods: unhealthy.length,
    podReasons: reasons,
    health,
  };
}

export const getDeploymentHistory = defineTool({
  name: 'get_deployment_history',
  description: `A Deployment's ReplicaSets by revision (newest first, at most ${MAX_REVISIONS}): images, resources, creation time, replica counts and pod health per revision.`,
  inputSchema: z.object({ namespace: namespaceSchema, name: nameSchema.describe('Deployment name') }),
  async handler({ namespace, name }, { reader }) {
    const d = await reader.get('Deployment', namespace, name);
    if (!d) return { status: 'no_data', message: `deployment ${name} not found in ${namespace}` };
    const revisions = await readDeploymentHistory(reader, d);
    if (revisions.length === 0) return { status: 'no_data', message: `deployment ${name} in ${namespace} owns no ReplicaSets` };
    return { status: 'success', data: { deployment: name, currentRevision: d.metadata.annotations?.[REVISION_ANNOTATION], revisions } };
  },
});
