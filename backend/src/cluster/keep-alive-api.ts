import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { ServerConfiguration, createConfiguration, type KubeConfig, type RequestContext, type SecurityAuthentication } from '@kubernetes/client-node';

type ApiConstructor<T> = new (config: ReturnType<typeof createConfiguration>) => T;

/**
 * client-node 1.x builds a new https.Agent for every request, so every call pays a fresh TLS handshake (tens of ms;
 * a diagnosis makes a dozen calls). This keeps KubeConfig's authentication (headers, exec/token refresh) per
 * request, but swaps in one keep-alive agent built from the first agent's TLS options.
 */
export function makeKeepAliveApiClient<T>(
  kc: KubeConfig,
  apiType: ApiConstructor<T>,
  shared: { agent?: HttpAgent | HttpsAgent } = {},
  options: { timeoutMs?: number; accept?: string } = {},
): T {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const auth: SecurityAuthentication = {
    getName: () => 'kubeconfig-keep-alive',
    async applySecurityAuthentication(context: RequestContext) {
      await kc.applySecurityAuthentication(context);
      // Applied after the generated request sets its own Accept: a client for metadata-only reads asks for that form.
      if (options.accept) context.setHeaderParam('Accept', options.accept);
      // client-node sets no deadline: an API server that accepts and never answers would hold a job forever.
      if (options.timeoutMs && !context.getSignal()) context.setSignal(AbortSignal.timeout(options.timeoutMs));
      if (!shared.agent) {
        const created: unknown = context.getAgent();
        const kind = plainAgentKind(created);
        // Proxy agents are not plain Agents: keep them as they are.
        if (!kind) return;
        const options = { ...((created as { options?: object }).options ?? {}), keepAlive: true, maxSockets: 16 };
        shared.agent = kind === 'https' ? new HttpsAgent(options) : new HttpAgent(options);
      }
      context.setAgent(shared.agent);
    },
  };
  return new apiType(createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: auth } }));
}

function plainAgentKind(agent: unknown): 'http' | 'https' | undefined {
  const ctor = (agent as { constructor?: unknown } | undefined)?.constructor;
  return ctor === HttpsAgent ? 'https' : ctor === HttpAgent ? 'http' : undefined;
}
