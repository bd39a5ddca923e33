import { describe, expect, it } from 'vitest';
import { PolicyRefusal } from '../../../backend/src/domain/errors.js';
import { argvFor, assessCommand, parseKubectlArgs, resolveResource, tokenizeCommandLine } from '../../../backend/src/risk/index.js';
import { analysePatch } from '../../../backend/src/risk/patch-body.js';
import { POLICY } from './corpus-helpers.js';

describe('tokenizeCommandLine', () => {
  it.each([
    ['kubectl get pods', ['kubectl', 'get', 'pods']],
    ["kubectl a'b c'd", ['kubectl', 'ab cd']],
    ['kubectl "a\\"b"', ['kubectl', 'a"b']],
    ['kubectl "a\\\\b"', ['kubectl', 'a\\b']],
    ['kubectl "a\\b"', ['kubectl', 'a\\b']],
    ["kubectl 'a\\b'", ['kubectl', 'a\\b']],
    ["kubectl 'say \"hi\"'", ['kubectl', 'say "hi"']],
    ['kubectl "it\'s"', ['kubectl', "it's"]],
    ['kubectl a\\ b', ['kubectl', 'a b']],
    ["kubectl '' x", ['kubectl', '', 'x']],
    ['kubectl ""', ['kubectl', '']],
    ["kubectl 'it'\\''s'", ['kubectl', "it's"]],
    ["kubectl -p '{\"spec\":{\"replicas\":2}}'", ['kubectl', '-p', '{"spec":{"replicas":2}}']],
    ["kubectl annotate x 'n=caf\u00e9'", ['kubectl', 'annotate', 'x', 'n=caf\u00e9']],
    ["kubectl '$HOME' '`id`' ';' '|'", ['kubectl', '$HOME', '`id`', ';', '|']],
  ])('%j → %j', (line, words) => {
    expect(tokenizeCommandLine(line)).toEqual({ ok: true, words });
  });

  it('refuses what a shell would read differently', () => {
    for (const line of ['kubectl get pods;', 'kubectl "$x"', 'kubectl get *', 'kubectl x\ty', 'get pods']) {
      expect(tokenizeCommandLine(line).ok, line).toBe(false);
    }
  });
});

describe('parseKubectlArgs', () => {
  const parse = (line: string) => {
    const t = tokenizeCommandLine(line);
    if (!t.ok) throw new Error(t.reason);
    return parseKubectlArgs(t.words.slice(1));
  };

  it.each([
    ['kubectl -n kube-system delete pod x', 'kube-system'],
    ['kubectl --namespace=kube-system get po', 'kube-system'],
    ['kubectl --namespace kube-system get po', 'kube-system'],
    ['kubectl get po -nkube-system', 'kube-system'],
    ['kubectl get po -n=kube-system', 'kube-system'],
    ['kubectl get po --namespace=shop -n kube-system', 'kube-system'],
    ['kubectl get po', undefined],
  ])('namespace of %j is %j', (line, ns) => {
    expect(parse(line).namespace).toBe(ns);
  });

  it('reads verbs, sub-verbs, resources, names and scope', () => {
    expect(parse('kubectl rollout undo deployment/web -n shop')).toMatchObject({
      verb: 'rollout', subVerb: 'undo', resource: 'deployments', names: ['web'], namespace: 'shop', problems: [],
    });
    expect(parse('kubectl create secret generic db --from-literal=a=b')).toMatchObject({
      commandPath: ['create', 'secret', 'generic'], resource: 'secrets', names: ['db'],
    });
    expect(parse('kubectl top no')).toMatchObject({ commandPath: ['top', 'node'], resources: ['nodes'] });
    expect(parse('kubectl delete pods,svc -l app=web --all-namespaces')).toMatchObject({
      resources: ['pods', 'services'], selector: 'app=web', allNamespaces: true,
    });
    expect(parse('kubectl label pods web-1 web-2 tier=x old- --overwrite')).toMatchObject({
      names: ['web-1', 'web-2'], extraArgs: ['tier=x', 'old-'],
    });
    expect(parse('kubectl exec -it web -c app -- sh -c "ls -l"')).toMatchObject({
      names: ['web'], afterDash: ['sh', '-c', 'ls -l'], flags: { stdin: true, tty: true, container: 'app' },
    });
    expect(parse('kubectl delete --dry-run pods x')).toMatchObject({ dryRun: 'client', resources: ['pods'], names: ['x'] });
    expect(parse('kubectl delete --dry-run=server pods x')).toMatchObject({ dryRun: 'server' });
    expect(parse('kubectl logs -p web')).toMatchObject({ names: ['web'], flags: { previous: true } });
    expect(parse('kubectl patch deploy web -p x')).toMatchObject({ names: ['web'], flags: { patch: 'x' } });
    expect(parse('kubectl drain n1 n2 --ignore-daemonsets')).toMatchObject({ resources: ['nodes'], names: ['n1', 'n2'] });
    expect(parse('kubectl cp shop/web-1:/tmp/x ./x')).toMatchObject({ names: ['web-1'] });
    expect(parse('kubectl apply -f a.yaml -f b.yaml')).toMatchObject({ filenames: ['a.yaml', 'b.yaml'], resources: [] });
    expect(parse('kubectl get deploy -o yaml')).toMatchObject({ output: 'yaml', resources: ['deployments'] });
  });

  it('resolves every spelling of a resource type', () => {
    for (const spelling of ['ns', 'NS', 'namespace', 'Namespace', 'namespaces', 'NAMESPACES', 'namespaces.v1', 'namespace.core']) {
      expect(resolveResource(spelling).name, spelling).toBe('namespaces');
    }
    expect(resolveResource('deployments.apps').name).toBe('deployments');
    expect(resolveResource('Deployment.v1.apps').name).toBe('deployments');
    expect(resolveResource('hpa').name).toBe('horizontalpodautoscalers');
    expect(resolveResource('netpol').name).toBe('networkpolicies');
    expect(resolveResource('CRDs').name).toBe('customresourcedefinitions');
    expect(resolveResource('Foos.Example.COM')).toEqual({ name: 'foos.example.com', known: false });
  });
});

describe('analysePatch', () => {
  it.each([
    ['{"spec":{"replicas":0}}', undefined, { scalesToZero: true, setsImage: false, type: 'strategic' }],
    ['{"spec":{"replicas":1}}', 'merge', { scalesToZero: false, type: 'merge' }],
    ['[{"op":"replace","path":"/spec/replicas","value":0}]', 'json', { scalesToZero: true, type: 'json' }],
    ['[{"op":"remove","path":"/spec/replicas"}]', 'json', { scalesToZero: false }],
    ['[{"op":"move","from":"/x","path":"/spec/replicas"}]', 'json', { scalesToZero: true }],
    ['{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"b"}]}}}}', undefined, { setsImage: true }],
    ['{"spec":{"template":{"spec":{"containers":[{"name":"a","resources":{}}]}}}}', undefined, { setsImage: false }],
    ['[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"x"}]', 'json', { setsImage: true }],
  ])('%s (--type=%s)', (body, type, expected) => {
    expect(analysePatch(body, type)).toMatchObject(expected);
  });

  it('reports bodies it cannot read instead of guessing', () => {
    // YAML is read structurally (issue 13); what is neither JSON nor one YAML document is reported.
    const yaml = analysePatch('spec: {replicas: 0}', undefined);
    expect(yaml.scalesToZero).toBe(true);
    expect(yaml.unreadable).toBeUndefined();
    expect(analysePatch('spec: {replicas: [0', undefined).unreadable).toMatch(/neither JSON nor/);
    expect(analysePatch('a: 1\n---\nb: 2', undefined).unreadable).toMatch(/neither JSON nor/);
    expect(analysePatch('42', undefined).unreadable).toMatch(/not a JSON object/);
    expect(analysePatch('{"spec":{}}', 'json').unreadable).toMatch(/JSON array/);
  });
});

describe('argvFor', () => {
  it('returns the exact words after kubectl, JSON bodies intact', () => {
    const a = assessCommand('kubectl patch deploy web -n shop -p \'{"spec":{"replicas":2}}\'', POLICY);
    expect(argvFor(a)).toEqual(['patch', 'deploy', 'web', '-n', 'shop', '-p', '{"spec":{"replicas":2}}']);
  });

  it('refuses a forbidden assessment', () => {
    expect(() => argvFor(assessCommand('kubectl delete ns prod', POLICY))).toThrow(PolicyRefusal);
    expect(() => argvFor(assessCommand('kubectl get pods | sh', POLICY))).toThrow(PolicyRefusal);
  });

  it('marks read-only commands', () => {
    expect(assessCommand('kubectl get pods', POLICY).readOnly).toBe(true);
    expect(assessCommand('kubectl scale deploy web --replicas=2', POLICY).readOnly).toBe(false);
    expect(assessCommand('kubectl get pods --kubeconfig=/x', POLICY).readOnly).toBe(false);
  });
});

describe('bounded output', () => {
  it('refuses an overlong command line and keeps only its start', () => {
    const a = assessCommand(`kubectl annotate pod x note=${'a'.repeat(70_000)}`, POLICY);
    expect(a.level).toBe('forbidden');
    expect(a.reasons).toEqual(['unreadable command: longer than 65536 characters']);
    expect(a.command.length).toBe(200);
  });

  it('never echoes the value of an unknown flag, and clips long reasons', () => {
    const a = assessCommand('kubectl get pods --tokn=s3cr3t-value', POLICY);
    expect(a.reasons).toContain('unknown flag (kubectl will reject it): --tokn');
    expect(a.reasons.join(' ')).not.toContain('s3cr3t');
    const long = assessCommand(`kubectl delete pods -l app=${'x'.repeat(1000)}`, POLICY);
    expect(Math.max(...long.reasons.map((r) => r.length))).toBeLessThanOrEqual(300);
  });
});
