import { delimiter } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../domain/errors.js';

/** The settings that decide which cluster the agent talks to. */
export interface KubeConfigSettings {
  KUBECONFIG?: string;
  KUBE_CONTEXT?: string;
}

/**
 * Builds the agent's own KubeConfig: the KUBECONFIG setting (first file of a path list), else the in-cluster
 * service account when running in a pod, else the client's default search. KUBE_CONTEXT pins the context.
 * Throws ConfigError naming the setting when the file or the context is unusable.
 */
export function createKubeConfig(settings: KubeConfigSettings, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (settings.KUBECONFIG) {
      const first = settings.KUBECONFIG.split(delimiter).find(Boolean);
      if (!first) throw new Error('empty path');
      kc.loadFromFile(first);
    } else if (env.KUBERNETES_SERVICE_HOST) {
      kc.loadFromCluster();
    } else {
      kc.loadFromDefault();
    }
  } catch (error) {
    // Never echo file content: a kubeconfig holds credentials.
    throw new ConfigError(`invalid configuration: KUBECONFIG: cannot load kubeconfig: ${(error as Error).message.split('\n')[0]}`, undefined, {
      cause: error,
    });
  }
  if (settings.KUBE_CONTEXT) {
    if (!kc.getContextObject(settings.KUBE_CONTEXT)) {
      throw new ConfigError(`invalid configuration: KUBE_CONTEXT: context "${settings.KUBE_CONTEXT}" is not in the kubeconfig`);
    }
    kc.setCurrentContext(settings.KUBE_CONTEXT);
  }
  return kc;
}
