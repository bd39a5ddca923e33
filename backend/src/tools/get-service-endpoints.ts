import { z } from 'zod/v4';
import { defineTool } from './types.js';
import { nameSchema, namespaceSchema } from './schemas.js';
import { selectorOf } from './format.js';

const MAX_ADDRESSES = 20;

type Address = { ip?: string; targetRef?: { kind?: string; name?: string } };

function describe(addresses: Address[] | undefined): string[] {
  return (addresses ?? []).slice(0, MAX_ADDRESSES).map((a) => `${a.ip ?? '?'}${a.targetRef?.name ? ` (${a.targetRef.kind ?? 'Pod'}/${a.targetRef.name})` : ''}`);
}

export const getServiceEndpoints = defineTool({
  name: 'get_service_endpoints',
  description: `A Service's selector, type and ports, with its ready and not-ready endpoint addresses (at most ${MAX_ADDRESSES} each) and how many pods match the selector.`,
  inputSchema: z.object({ namespace: namespaceSchema, service: nameSchema.describe('Service name') }),
  async handler({ namespace, service }, { reader }) {
    const svc = await reader.get('Service', namespace, service);
    if (!svc) return { status: 'no_data', message: `service ${service} not found in ${namespace}` };
    const selector = selectorOf(svc.spec?.selector);
    const [endpoints, pods] = await Promise.all([
      reader.get('Endpoints', namespace, service),
      selector ? reader.list('Pod', namespace, { labelSelector: selector }) : Promise.resolve([]),
    ]);
    const subsets = (endpoints?.subsets as Array<{ addresses?: Address[]; notReadyAddresses?: Address[] }>) ?? [];
    const ready = subsets.flatMap((s) => s.addresses ?? []);
    const notReady = subsets.flatMap((s) => s.notReadyAddresses ?? []);
    return {
      status: 'success',
      data: {
        service,
        type: svc.spec?.type,
        selector,
        ports: (svc.spec?.ports as Array<{ port: number; targetPort?: unknown; protocol?: string }>)?.map((p) => `${p.port}->${String(p.targetPort ?? p.port)}/${p.protocol ?? 'TCP'}`),
        matchingPods: pods.length,
        readyCount: ready.length,
        notReadyCount: notReady.length,
        ready: describe(ready),
        notReady: describe(notReady),
      },
    };
  },
});
