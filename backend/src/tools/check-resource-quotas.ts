import { z } from 'zod/v4';
import { defineTool } from './types.js';
import { namespaceSchema } from './schemas.js';
import { parseQuantity } from '../kube/quantity.js';

export const checkResourceQuotas = defineTool({
  name: 'check_resource_quotas',
  description: 'ResourceQuotas of a namespace (hard vs used, items at 90% or more flagged) and its LimitRange defaults.',
  inputSchema: z.object({ namespace: namespaceSchema }),
  async handler({ namespace }, { reader }) {
    const [quotas, limits] = await Promise.all([reader.list('ResourceQuota', namespace), reader.list('LimitRange', namespace)]);
    if (quotas.length === 0 && limits.length === 0) return { status: 'no_data', message: `no ResourceQuota or LimitRange in ${namespace}` };
    return {
      status: 'success',
      data: {
        quotas: quotas.slice(0, 10).map((q) => {
          const hard = (q.status?.hard ?? q.spec?.hard ?? {}) as Record<string, string>;
          const used = (q.status?.used ?? {}) as Record<string, string>;
          const nearLimit = Object.keys(hard).filter((k) => {
            const h = parseQuantity(hard[k]);
            const u = parseQuantity(used[k]);
            return h !== undefined && u !== undefined && h > 0 && u / h >= 0.9;
          });
          return { name: q.metadata.name, hard, used, nearLimit };
        }),
        limitRanges: limits.slice(0, 5).map((l) => ({ name: l.metadata.name, limits: l.spec?.limits })),
      },
    };
  },
});
