import { z } from 'zod/v4';
import type { KubeObject } from '../domain/kube.js';
import { defineTool } from './types.js';
import { nameSchema, namespaceSchema } from './schemas.js';
import { selectorOf, summariseConditions, summariseEnv, summariseEnvFrom } from './format.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** Spec summary, status and conditions of a Deployment; never the raw manifest. */
export function summariseDeployment(d: KubeObject): Record<string, unknown> {
  const template = d.spec?.template?.spec ?? {};
  return {
    name: d.metadata.name,
    namespace: d.metadata.namespace,
    revision: d.metadata.annotations?.[REVISION_ANNOTATION],
    generation: d.metadata.generation,
    spec: {
      replicas: d.spec?.replicas,
      paused: d.spec?.paused || undefined,
      selector: selectorOf(d.spec?.selector?.matchLabels),
      strategy: d.spec?.strategy?.type,
      containers: ((template.containers as Array<Record<string, unknown>>) ?? []).map((c) => ({
        name: c.name,
        image: c.image,
        resources: c.resources,
        env: summariseEnv(c.env, 15),
        envFrom: summariseEnvFrom(c.envFrom),
        readinessProbe: c.readinessProbe ? true : undefined,
        livenessProbe: c.livenessProbe ? true : undefined,
      })),
    },
    status: {
      observedGeneration: d.status?.observedGeneration,
      replicas: d.status?.replicas ?? 0,
      updatedReplicas: d.status?.updatedReplicas ?? 0,
      readyReplicas: d.status?.readyReplicas ?? 0,
      availableReplicas: d.status?.availableReplicas ?? 0,
      unavailableReplicas: d.status?.unavailableReplicas ?? 0,
    },
    conditions: summariseConditions(d.status?.conditions),
  };
}

export const getDeployment = defineTool({
  name: 'get_deployment',
  description: 'A Deployment: spec summary (replicas, strategy, selector, containers with images, resources, probes, redacted env), status counts and conditions.',
  inputSchema: z.object({ namespace: namespaceSchema, name: nameSchema.describe('Deployment name') }),
  async handler({ namespace, name }, { reader }) {
    const d = await reader.get('Deployment', namespace, name);
    if (!d) return { status: 'no_data', message: `deployment ${name} not found in ${namespace}` };
    return { status: 'success', data: summariseDeployment(d) };
  },
});
