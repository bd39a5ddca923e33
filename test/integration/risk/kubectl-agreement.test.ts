import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type RunningSim } from '../../../chaos/sim/start-sim.js';
import { assessCommand, argvFor } from '../../../backend/src/risk/index.js';
import { tokenizeCommandLine } from '../../../backend/src/risk/tokenize.js';

/**
 * Differential test: our parser must read a command line exactly as the real kubectl does. Each line runs through the
 * real kubectl v1.32 against kube-sim (a throwaway in-memory API server, so even deletes are harmless here), and the
 * first non-discovery API request kubectl sends (logged at -v=6) must name the namespace, resource and object we parsed.
 */

interface Request {
  method: string;
  namespace?: string;
  resource: string;
  name?: string;
}

const REQUEST = /round_trippers\.go:\d+\] (GET|POST|PUT|PATCH|DELETE) https:\/\/[^/]+(\/[^? ]*)/;
const isDiscovery = (path: string) => /^\/api(\/v1)?$/.test(path) || /^\/apis(\/[^/]+){0,2}$/.test(path) || path.startsWith('/openapi');

function firstRequest(stderr: string): Request | undefined {
  for (const line of stderr.split('\n')) {
    const m = REQUEST.exec(line);
    if (!m || isDiscovery(m[2])) continue;
    const parts = m[2].replace(/^\/api\/v1|^\/apis\/[^/]+\/[^/]+/, '').split('/').filter(Boolean);
    if (parts[0] === 'namespaces' && parts.length >= 3) return { method: m[1], namespace: parts[1], resource: parts[2], name: parts[3] };
    return { method: m[1], resource: parts[0], name: parts[1] };
  }
  return undefined;
}

// [command line, the request kubectl sends]. The kubeconfig's default namespace is "default".
const rows: Array<[string, Request]> = [
  ['kubectl -nkube-system get po', { method: 'GET', namespace: 'kube-system', resource: 'pods' }],
  ['kubectl get po -n=kube-system', { method: 'GET', namespace: 'kube-system', resource: 'pods' }],
  ['kubectl --namespace kube-system get pods', { method: 'GET', namespace: 'kube-system', resource: 'pods' }],
  ['kubectl --request-timeout 5s --namespace=kube-system get pods', { method: 'GET', namespace: 'kube-system', resource: 'pods' }],
  ['kubectl get pods --namespace=shop -n kube-system', { method: 'GET', namespace: 'kube-system', resource: 'pods' }],
  ['kubectl get pods --all_namespaces', { method: 'GET', resource: 'pods' }],
  ['kubectl get pods -A', { method: 'GET', resource: 'pods' }],
  ['kubectl get -o yaml pods -n shop', { method: 'GET', namespace: 'shop', resource: 'pods' }],
  ['kubectl get -n shop -- pods web', { method: 'GET', namespace: 'shop', resource: 'pods', name: 'web' }],
  // After "--" kubectl reads -n as an object name, not a flag: the namespace stays the default (and we refuse the line).
  ['kubectl get -- pods web -n shop', { method: 'GET', namespace: 'default', resource: 'pods', name: 'web' }],
  ['kubectl get secrets,pods -n shop', { method: 'GET', namespace: 'shop', resource: 'secrets' }],
  ['kubectl get deploy.apps web -n shop', { method: 'GET', namespace: 'shop', resource: 'deployments', name: 'web' }],
  ['kubectl get Deployment.v1.apps web -n shop', { method: 'GET', namespace: 'shop', resource: 'deployments', name: 'web' }],
  ['kubectl get ns kube-system', { method: 'GET', resource: 'namespaces', name: 'kube-system' }],
  ['kubectl delete -- ns prod', { method: 'DELETE', resource: 'namespaces', name: 'prod' }],
  ['kubectl delete ns -- prod', { method: 'DELETE', resource: 'namespaces', name: 'prod' }],
  ['kubectl delete Namespace prod', { method: 'DELETE', resource: 'namespaces', name: 'prod' }],
  ['kubectl delete NAMESPACES/prod', { method: 'DELETE', resource: 'namespaces', name: 'prod' }],
  ["kubectl delete 'n'\"s\" prod", { method: 'DELETE', resource: 'namespaces', name: 'prod' }],
  ['kubectl delete po,ns x', { method: 'DELETE', namespace: 'default', resource: 'pods', name: 'x' }],
  ['kubectl delete --dry-run=server pods x -n shop', { method: 'DELETE', namespace: 'shop', resource: 'pods', name: 'x' }],
  ['kubectl delete --cascade pods x -n shop', { method: 'DELETE', namespace: 'shop', resource: 'pods', name: 'x' }],
  ['kubectl delete pod x -n=kube-system', { method: 'DELETE', namespace: 'kube-system', resource: 'pods', name: 'x' }],
  ['kubectl scale deploy web --replicas=0 -n shop', { method: 'GET', namespace: 'shop', resource: 'deployments', name: 'web' }],
  ['kubectl rollout restart deploy/web -n shop', { method: 'GET', namespace: 'shop', resource: 'deployments', name: 'web' }],
  ['kubectl label pods web-1 a=b -n shop', { method: 'GET', namespace: 'shop', resource: 'pods', name: 'web-1' }],
  ['kubectl logs -p web-1 -n shop', { method: 'GET', namespace: 'shop', resource: 'pods', name: 'web-1' }],
  ['kubectl cordon n1', { method: 'GET', resource: 'nodes', name: 'n1' }],
  // (kubectl refuses "namespaces.v1" before sending anything; we read it as namespaces and forbid it, the strict side.)
  ['kubectl delete pod/x ns/y -n shop', { method: 'DELETE', namespace: 'shop', resource: 'pods', name: 'x' }],
  // Flags that take a value must swallow exactly the next word; booleans must not.
  ['kubectl get -L app pods -n shop', { method: 'GET', namespace: 'shop', resource: 'pods' }],
  ['kubectl get --chunk-size 10 pods -n shop', { method: 'GET', namespace: 'shop', resource: 'pods' }],
  ['kubectl get --show-labels pods -n shop', { method: 'GET', namespace: 'shop', resource: 'pods' }],
  ['kubectl delete --grace-period 0 pods x -n shop', { method: 'DELETE', namespace: 'shop', resource: 'pods', name: 'x' }],
  ['kubectl delete --timeout 5s pods x -n shop', { method: 'DELETE', namespace: 'shop', resource: 'pods', name: 'x' }],
  ['kubectl delete --force pods x -n shop', { method: 'DELETE', namespace: 'shop', resource: 'pods', name: 'x' }],
  ['kubectl delete --ignore-not-found pods x -n shop', { method: 'DELETE', namespace: 'shop', resource: 'pods', name: 'x' }],
  ['kubectl delete --wait=false pods x -n shop', { method: 'DELETE', namespace: 'shop', resource: 'pods', name: 'x' }],
  ['kubectl logs --tail 5 web -n shop', { method: 'GET', namespace: 'shop', resource: 'pods', name: 'web' }],
  ['kubectl scale --replicas 2 deploy web -n shop', { method: 'GET', namespace: 'shop', resource: 'deployments', name: 'web' }],
];

describe('the parser agrees with the real kubectl (kube-sim)', () => {
  let sim: RunningSim;
  let cacheDir: string;
  beforeAll(async () => {
    sim = await startSim({ withoutControllers: true });
    cacheDir = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
  });
  afterAll(async () => {
    await sim?.stop();
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  });

  it.each(rows)('%s', async (line, expected) => {
    const words = tokenizeCommandLine(line);
    if (!words.ok) throw new Error(words.reason);
    const a = assessCommand(line, { protectedNamespaces: [], denyList: [] });
    const parsed = a.parsed;
    if (!parsed) throw new Error('not parsed');
    // Our reading of the command.
    const first = parsed.targets[0];
    expect({
      namespace: parsed.allNamespaces || first?.resource === 'namespaces' || first?.resource === 'nodes' ? undefined : (parsed.namespace ?? 'default'),
      resource: first?.resource,
      name: first?.name,
    }).toEqual({ namespace: expected.namespace, resource: expected.resource, name: expected.name });

    // kubectl's reading: the agent's own flags go BEFORE the command's words, or "--" would turn them into arguments.
    const argv = a.level === 'forbidden' ? words.words.slice(1) : argvFor(a);
    const result = await execa('kubectl', ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', cacheDir, '-v=6', ...argv], { reject: false, timeout: 30_000 });
    expect(firstRequest(result.stderr), result.stderr.slice(-600)).toEqual(expected);
  });
});
