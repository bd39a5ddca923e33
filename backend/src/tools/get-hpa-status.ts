import { z } from 'zod/v4';
import { defineTool } from './types.js';
import { nameSchema, namespaceSchema } from './schemas.js';
import { summariseConditions } from './format.js';

export const getHpaStatus = defineTool({
  name: 'get_hpa_status',
  description: 'HorizontalPodAutoscalers of a namespace (or one by name): target, min/max, current/desired replicas, metric values vs targets, conditions.',
  inputSchema: z.object({ namespace: namespaceSchema, name: nameSchema.optional().describe('HPA name; omit for all in the namespace') }),
  async handler({ namespace, name }, { reader }) {
    const hpas = name
      ? await reader.get('HorizontalPodAutoscaler', namespace, name).then((h) => (h ? [h] : []))
      : await reader.list('HorizontalPodAutoscaler', namespace);
    if (hpas.length === 0) return { status: 'no_data', message: `no HorizontalPodAutoscaler${name ? ` ${name}` : ''} in ${namespace}` };
    return {
      status: 'success',
      data: hpas.slice(0, 10).map((h) => ({
        name: h.metadata.name,
        target: `${String(h.spec?.scaleTargetRef?.kind)}/${String(h.spec?.scaleTargetRef?.name)}`,
        minReplicas: h.spec?.minReplicas ?? 1,
        maxReplicas: h.spec?.maxReplicas,
        currentReplicas: h.status?.currentReplicas,
        desiredReplicas: h.status?.desiredReplicas,
        metrics: h.spec?.metrics,
        currentMetrics: h.status?.currentMetrics,
        conditions: summariseConditions(h.status?.conditions),
      })),
    };
  },
});
