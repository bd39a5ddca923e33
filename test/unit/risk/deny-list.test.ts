import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../backend/src/domain/errors.js';
import { assessCommand, compileDenyList } from '../../../backend/src/risk/index.js';
import { expectRow, type Row } from './corpus-helpers.js';

const policy = {
  protectedNamespaces: [],
  denyList: ['drain', 'rollout undo statefulsets', 'delete deployments in payments', 'scale deploy/checkout', 'annotate *', 'create configmap'],
};

const rows: Row[] = [
  ['kubectl drain n1 --ignore-daemonsets', 'forbidden', 'deny list: "drain"'],
  ['kubectl -n shop drain n1', 'forbidden', 'deny list: "drain"'],
  ['kubectl rollout undo sts/db', 'forbidden', 'deny list: "rollout undo statefulsets"'],
  ['kubectl rollout undo StatefulSet db -n x', 'forbidden', 'deny list'],
  ['kubectl rollout undo statefulsets.apps/db', 'forbidden', 'deny list'],
  ['kubectl delete deploy web -n payments', 'forbidden', 'deny list: "delete deployments in payments"'],
  ['kubectl delete deployment/web --namespace=payments', 'forbidden', 'deny list'],
  // No -n: the context's default namespace could be "payments", so the entry matches.
  ['kubectl delete deploy web', 'forbidden', 'deny list'],
  ['kubectl delete all -l app=web -n payments', 'forbidden', 'deny list'],
  // Objects from a file could be deployments: the entry matches.
  ['kubectl delete -f web.yaml -n payments', 'forbidden', 'deny list'],
  ['kubectl scale deploy checkout --replicas=3', 'forbidden', 'deny list: "scale deploy/checkout"'],
  ['kubectl scale deployment/checkout --replicas=3', 'forbidden', 'deny list'],
  ['kubectl scale deploy --all --replicas=3', 'forbidden', 'deny list'],
  ['kubectl annotate pod x a=b', 'forbidden', 'deny list: "annotate *"'],
  ['kubectl create configmap c --from-literal=a=b', 'forbidden', 'deny list: "create configmap"'],
  ['kubectl create cm c --from-literal=a=b', 'forbidden', 'deny list: "create configmap"'],
  // A file can hold a ConfigMap: "create -f" may create what the entry denies (was high).
  ['kubectl create -f objects.yaml', 'forbidden', 'deny list: "create configmap"'],
  ['kubectl create -k overlays/prod -n shop', 'forbidden', 'deny list: "create configmap"'],
  ['kubectl create secret generic s --from-literal=a=b', 'high'],
  ['kubectl create deployment web --image=nginx', 'high'],
  // Near misses: the deny list matches structure, not substrings.
  ['kubectl get pods --field-selector=spec.nodeName=drain', 'low'],
  ['kubectl get deploy drain', 'low'],
  ['kubectl cordon n1', 'medium'],
  ['kubectl rollout undo deploy/db', 'medium'],
  ['kubectl rollout restart sts/db', 'medium'],
  ['kubectl delete deploy web -n shop', 'high'],
  ['kubectl delete pods web -n payments', 'high'],
  ['kubectl scale deploy web --replicas=3', 'medium'],
  ['kubectl label pod x a=b', 'medium'],
  ['kubectl auth can-i drain nodes', 'low'],
];

describe('deny list (DENY_COMMANDS)', () => {
  it.each(rows)('%j → %s', (...row) => expectRow(row, policy));

  it.each([
    ['', /printable ASCII/],
    ['dr\u0430in', /printable ASCII/],
    ['frobnicate pods', /not a kubectl verb/],
    ['delete pods extra', /unexpected "extra"/],
    ['delete pods in', /"in" must be followed/],
    ['delete in a pods', /"in" must be followed/],
  ])('rejects the malformed entry %j', (entry, message) => {
    expect(() => compileDenyList([entry])).toThrow(ConfigError);
    expect(() => compileDenyList([entry])).toThrow(message);
  });

  it('parses entries into structure', () => {
    expect(compileDenyList(['rollout undo sts/db in data'])).toEqual([
      { entry: 'rollout undo sts/db in data', verb: 'rollout', subVerb: 'undo', resource: 'statefulsets', name: 'db', namespace: 'data' },
    ]);
  });

  it('a malformed deny list fails loudly rather than being ignored', () => {
    expect(() => assessCommand('kubectl get pods', { protectedNamespaces: [], denyList: ['nope'] })).toThrow(ConfigError);
  });
});
