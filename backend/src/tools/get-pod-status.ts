import { z } from 'zod/v4';
import { defineTool } from './types.js';
import { nameSchema, namespaceSchema } from './schemas.js';
import { summarisePodDetail } from './pod-summary.js';

export const getPodStatus = defineTool({
  name: 'get_pod_status',
  description:
    'Status of one pod: phase, conditions, container states (waiting/terminated reasons, exit codes, restarts, last state), images, resources, probes and env (credentials redacted, secret references only).',
  inputSchema: z.object({ namespace: namespaceSchema, pod: nameSchema.describe('Pod name') }),
  async handler({ namespace, pod }, { reader }) {
    const obj = await reader.get('Pod', namespace, pod);
    if (!obj) return { status: 'no_data', message: `pod ${pod} not found in ${namespace}` };
    return { status: 'success', data: summarisePodDetail(obj) };
  },
});
