import { z } from 'zod/v4';
import { defineTool } from './types.js';
import { labelSelectorSchema, namespaceSchema } from './schemas.js';
import { isPodHealthy, summarisePodBrief } from './pod-summary.js';

const MAX_PODS = 50;

export const listPods = defineTool({
  name: 'list_pods',
  description: `Pods in a namespace (optionally by label selector, optionally only unhealthy ones): phase, ready count, restarts, reason, node. At most ${MAX_PODS}, unhealthy first.`,
  inputSchema: z.object({
    namespace: namespaceSchema,
    labelSelector: labelSelectorSchema.optional(),
    unhealthyOnly: z.boolean().optional().describe('Only pods that are not Running-and-ready (or Succeeded)'),
  }),
  async handler({ namespace, labelSelector, unhealthyOnly }, { reader }) {
    const pods = await reader.list('Pod', namespace, { labelSelector });
    const unhealthy = pods.filter((p) => !isPodHealthy(p));
    const chosen = unhealthyOnly ? unhealthy : [...unhealthy, ...pods.filter(isPodHealthy)];
    if (chosen.length === 0) {
      return { status: 'no_data', message: `no ${unhealthyOnly ? 'unhealthy ' : ''}pods in ${namespace}${labelSelector ? ` matching ${labelSelector}` : ''}` };
    }
    const now = Date.now();
    return {
      status: 'success',
      data: {
        total: pods.length,
        unhealthy: unhealthy.length,
        shown: Math.min(chosen.length, MAX_PODS),
        pods: chosen.slice(0, MAX_PODS).map((p) => summarisePodBrief(p, now)),
      },
    };
  },
});
