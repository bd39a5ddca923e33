// Healthy demo workloads for `oncall-agent serve --sim`, in their own namespace, so a new user has something to
// break (README "Quick start"). Created through the store's admission like any kubectl apply; the controllers and
// kubelets then bring them to Running as they would on a real cluster.
import type { MemoryStore } from './store/memory-store.js';
import type { SimObject } from './store/types.js';

export const DEMO_NAMESPACE = 'demo';

interface DemoWorkload {
  name: string;
  image: string;
  replicas: number;
  port?: number;
  memoryLimit: string;
}

/** web and api sit behind Services (a scale-to-zero leaves no endpoints); worker has none. */
export const DEMO_WORKLOADS: readonly DemoWorkload[] = [
  { name: 'web', image: 'nginx:1.27', replicas: 2, port: 80, memoryLimit: '128Mi' },
  { name: 'api', image: 'nginx:1.27', replicas: 2, port: 8080, memoryLimit: '128Mi' },
  { name: 'worker', image: 'busybox:1.36', replicas: 1, memoryLimit: '64Mi' },
];

export function seedDemoWorkloads(store: MemoryStore, namespace = DEMO_NAMESPACE): string[] {
  const create = (resource: string, object: Record<string, unknown>) => store.create(resource, object as unknown as SimObject);
  create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
  const names: string[] = [];
  for (const w of DEMO_WORKLOADS) {
    const labels = { app: w.name };
    create('deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: w.name, namespace, labels },
      spec: {
        replicas: w.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: w.name,
                image: w.image,
                ...(w.port ? { ports: [{ containerPort: w.port }] } : { command: ['sh', '-c', 'while true; do sleep 3600; done'] }),
                resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: w.memoryLimit } },
              },
            ],
          },
        },
      },
    });
    if (w.port) {
      create('services', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: w.name, namespace, labels },
        spec: { selector: labels, ports: [{ port: w.port, targetPort: w.port, protocol: 'TCP' }] },
      });
    }
    names.push(`deployment/${w.name}`);
  }
  return names;
}
