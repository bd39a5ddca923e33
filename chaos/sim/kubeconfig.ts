// Writes the kubeconfig for a running sim: cluster, user and context all named `kube-sim`.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caCert: string;
  token?: string;
}

export function renderKubeconfig(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'kube-sim',
        cluster: input.caCert
          ? { server: input.server, 'certificate-authority-data': Buffer.from(input.caCert).toString('base64') }
          : { server: input.server },
      },
    ],
    users: [{ name: 'kube-sim', user: input.token ? { token: input.token } : {} }],
    contexts: [{ name: 'kube-sim', context: { cluster: 'kube-sim', user: 'kube-sim', namespace: 'default' } }],
    'current-context': 'kube-sim',
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderKubeconfig(input), { mode: 0o600 });
}
