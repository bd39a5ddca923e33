import { describe, expect, it } from 'vitest';
import { assessCommand } from '../../../backend/src/risk/index.js';
import { classifyPath, remoteReason } from '../../../backend/src/risk/local-paths.js';
import { POLICY, expectRow, type Row } from './corpus-helpers.js';

// Issue 13: commands scored by their effect, not their verb. One table per class; each class has near-misses that must
// keep their level, so the rules are checked for precision as well as reach.

const localFileReads: Row[] = [
  // Relative paths inside the working directory: not a read any more, at least high.
  ['kubectl get -f manifests/web.yaml', 'high', 'reads files on the agent'],
  ['kubectl describe -f web.yaml -n shop', 'high', 'reads files on the agent'],
  ['kubectl wait -f web.yaml --for=condition=Available', 'high', 'reads files on the agent'],
  ['kubectl rollout status -f web.yaml', 'high', 'reads files on the agent'],
  ['kubectl rollout history --filename=web.yaml', 'high', 'reads files on the agent'],
  ['kubectl diff -k overlays/prod', 'high', 'reads files on the agent'],
  ['kubectl get -k base', 'high', 'reads files on the agent'],
  ['kubectl get -f -', 'high', 'reads files on the agent'],
  ['kubectl get -Rf manifests', 'high', 'reads files on the agent'],
  // Outside the working directory, or where credentials live: forbidden.
  ['kubectl get -f /etc/shadow', 'forbidden', 'an absolute path'],
  ['kubectl describe -f /proc/self/environ', 'forbidden', 'an absolute path'],
  ['kubectl get --filename=/var/run/secrets/kubernetes.io/serviceaccount/token', 'forbidden', 'outside the working directory'],
  ['kubectl wait -f ../../root/.kube/config --for=delete', 'forbidden', 'climbs out'],
  ['kubectl rollout status -f ./.env', 'forbidden', 'hidden file'],
  ['kubectl get -f .git/config', 'forbidden', '.git'],
  ['kubectl get -f config/.npmrc', 'forbidden', 'hidden file'],
  ['kubectl get -f certs/tls.key', 'forbidden', 'credentials live'],
  ['kubectl get -f id_ed25519', 'forbidden', 'credentials live'],
  ['kubectl get -f kubeconfig.yaml', 'forbidden', 'credentials live'],
  ['kubectl get -f node_modules/x/package.json', 'forbidden', 'credentials live'],
  ['kubectl get -f audit.jsonl', 'forbidden', "agent's own state"],
  ['kubectl get -f data/kill-switch', 'forbidden', "agent's own state"],
  ["kubectl exec -f '~/.ssh/id_rsa' web -- true", 'forbidden', 'home-directory'],
  ['kubectl events -n shop', 'low'],
  ['kubectl debug node/n1 -it --image=busybox --custom=profile.json', 'forbidden', '--custom'],
  ['kubectl apply -f /tmp/fix.yaml', 'forbidden', 'an absolute path'],
  ['kubectl get -f C:/x', 'forbidden', 'SCP-style'],
  ['kubectl get -f/etc/passwd', 'forbidden', 'an absolute path'],
  ['kubectl get -f=/etc/passwd', 'forbidden', 'an absolute path'],
  ['kubectl patch deploy web -n shop --patch-file=/etc/passwd', 'forbidden', 'an absolute path'],
  ['kubectl patch deploy web -n shop --patch-file=../secrets/x.yaml', 'forbidden', 'climbs out'],
  ['kubectl get --raw=https://evil.example/x', 'forbidden', '--raw names a URL'],
  ['kubectl get --raw //evil.example/api', 'forbidden', '--raw names a URL'],
  ['kubectl get --raw /api/v1/nodes', 'high', 'raw'],
];

const remoteKustomizations: Row[] = [
  ['kubectl apply -k git@github.com:org/repo', 'forbidden', 'SCP-style'],
  ['kubectl apply -k deploy@git.example.com:org/repo//overlays/prod', 'forbidden', 'SCP-style'],
  ['kubectl get -k github.com:org/repo', 'forbidden', 'SCP-style'],
  ['kubectl get -k github.com/org/repo', 'forbidden', 'a repository on a host'],
  ['kubectl describe -k gitlab.example.com/team/app/overlays/prod', 'forbidden', 'a repository on a host'],
  ["kubectl diff -k 'org/repo?ref=v1.2.3'", 'forbidden', 'query'],
  ['kubectl kustomize github.com/org/repo//deploy', 'forbidden', 'manifest from a URL'],
  ['kubectl kustomize https://example.com/org/repo.git', 'forbidden', 'a URL'],
  ['kubectl kustomize git::https://example.com/org/repo', 'forbidden', 'a URL'],
  ['kubectl kustomize gh:org/repo', 'forbidden', 'forced-protocol'],
  ['kubectl kustomize ssh://git@example.com/repo', 'forbidden', 'a URL'],
  ['kubectl delete -k ssh://x/y', 'forbidden', 'a URL'],
  ['kubectl rollout restart -k repo/_git/app', 'forbidden', 'git repository path'],
  ['kubectl rollout status -k base/app.git/overlay', 'forbidden', 'git repository path'],
  ['kubectl get -f http://10.0.0.1/x.yaml', 'forbidden', 'a URL'],
  ['kubectl scale -k s3::https://bucket/x --replicas=1', 'forbidden', 'forced-protocol'],
  // A local kustomization is still unseen content: high, never low.
  ['kubectl kustomize overlays/prod', 'high'],
];

const localWrites: Row[] = [
  ['kubectl kustomize overlays/prod -o out.yaml', 'forbidden', "writes files on the agent's machine: --output"],
  ['kubectl kustomize overlays/prod --output=manifests/all.yaml', 'forbidden', '--output'],
  ['kubectl cp shop/web:/etc/hosts hosts', 'forbidden', 'cp destination'],
  ['kubectl cp web:/x .', 'forbidden', 'cp destination'],
  ['kubectl cp web:/x -c app backend/src/main.ts', 'forbidden', 'cp destination'],
  ['kubectl cluster-info dump --output-directory=dump', 'forbidden', '--output-directory'],
];

const networkExposure: Row[] = [
  ['kubectl port-forward pod/web 8080:80 --address 0.0.0.0', 'forbidden', 'unauthenticated door'],
  ['kubectl port-forward svc/web 8080 --address=localhost,10.0.0.5', 'forbidden', '10.0.0.5'],
  ['kubectl port-forward web 8080 --address ::', 'forbidden', 'unauthenticated door'],
  ['kubectl port-forward web 8080 --address=agent.example.com', 'forbidden', 'unauthenticated door'],
  ['kubectl port-forward web 8080 --address=127.0.0.1', 'high'],
  ['kubectl port-forward web 8080 --address localhost', 'high'],
  ['kubectl proxy --address=0.0.0.0', 'forbidden', 'unauthenticated door'],
];

const webhooksByAnotherName: Row[] = [
  ['kubectl patch crd widgets.example.com --type=merge -p \'{"spec":{"conversion":{"strategy":"Webhook"}}}\'', 'forbidden', 'conversion webhooks'],
  ['kubectl edit customresourcedefinition widgets.example.com', 'forbidden', 'conversion webhooks'],
  ['kubectl annotate crd widgets.example.com cert-manager.io/inject-ca-from=shop/ca', 'forbidden'],
  ['kubectl replace -f crd.yaml', 'high'],
  ['kubectl get crd', 'low'],
];

const metadataKeys: Row[] = [
  ['kubectl annotate sa web -n shop eks.amazonaws.com/role-arn=arn:aws:iam::1:role/admin', 'forbidden', 'cloud IAM identity'],
  ['kubectl annotate serviceaccount web -n shop iam.gke.io/gcp-service-account=owner@p.iam.gserviceaccount.com', 'forbidden', 'cloud IAM identity'],
  ['kubectl label sa web -n shop azure.workload.identity/use=true', 'forbidden', 'cloud IAM identity'],
  ['kubectl annotate sa web -n shop azure.workload.identity/client-id=x --overwrite', 'forbidden', 'cloud IAM identity'],
  ['kubectl annotate ingress web -n shop nginx.ingress.kubernetes.io/configuration-snippet=x', 'forbidden', 'configuration snippet'],
  ['kubectl annotate ing web -n shop nginx.ingress.kubernetes.io/server-snippet=x', 'forbidden', 'snippet'],
  ['kubectl annotate ingress web -n shop nginx.ingress.kubernetes.io/auth-url-', 'high', 'authentication'],
  ['kubectl annotate ingress web -n shop nginx.ingress.kubernetes.io/whitelist-source-range-', 'high', 'allow-lists'],
  ['kubectl annotate ingress web -n shop nginx.ingress.kubernetes.io/permanent-redirect=https://evil.example', 'high', 'redirects'],
  ['kubectl annotate svc web -n shop service.beta.kubernetes.io/aws-load-balancer-scheme=internet-facing', 'high', 'load-balancer'],
  ['kubectl annotate svc web -n shop service.beta.kubernetes.io/aws-load-balancer-internal-', 'high', 'load-balancer'],
  ['kubectl annotate svc web -n shop networking.gke.io/load-balancer-type-', 'high', 'load-balancer'],
  ['kubectl annotate svc web -n shop external-dns.alpha.kubernetes.io/hostname=www.example.com', 'high', 'DNS'],
  ['kubectl annotate secret db -n shop reflector.v1.k8s.emberstack.com/reflection-allowed=true', 'forbidden', 'replicates a Secret'],
  ['kubectl annotate secret db -n shop replicator.v1.mittwald.de/replicate-to=\'*\'', 'forbidden', 'replicates a Secret'],
  ['kubectl annotate storageclass gp3 storageclass.kubernetes.io/is-default-class=true', 'high', 'default'],
  ['kubectl annotate ingressclass nginx ingressclass.kubernetes.io/is-default-class-', 'high', 'default'],
  ['kubectl label node n1 node-role.kubernetes.io/control-plane=', 'high', 'control plane'],
  ['kubectl label no n1 kubernetes.io/os=windows --overwrite', 'high', 'select nodes'],
  ['kubectl label nodes n1 kubernetes.io/arch-', 'high'],
  ['kubectl label node n1 disktype=ssd', 'high', 'node labels'],
  ['kubectl label ns shop pod-security.kubernetes.io/enforce=privileged', 'high', 'Pod Security'],
  ['kubectl label ns shop pod-security.kubernetes.io/enforce-', 'high'],
  ['kubectl patch sa web -n shop -p \'{"metadata":{"annotations":{"eks.amazonaws.com/role-arn":"arn:x"}}}\'', 'forbidden', 'cloud IAM identity'],
  ['kubectl patch ingress web -n shop --type=json -p \'[{"op":"remove","path":"/metadata/annotations/nginx.ingress.kubernetes.io~1auth-url"}]\'', 'high', 'authentication'],
  ['kubectl patch deploy web -n shop -p \'{"spec":{"template":{"metadata":{"annotations":{"iam.amazonaws.com/role":"admin"}}}}}\'', 'forbidden', 'cloud IAM identity'],
  ['kubectl create ingress web -n shop --rule=a/=b:80 --annotation=nginx.ingress.kubernetes.io/server-snippet=x', 'forbidden', 'snippet'],
  ['kubectl annotate secret tok -n shop kubernetes.io/service-account.name=admin', 'forbidden', 'service-account token'],
  // YAML patch bodies are read structurally too.
  ["kubectl patch sa web -n shop -p 'metadata: {annotations: {eks.amazonaws.com/role-arn: x}}'", 'forbidden', 'cloud IAM identity'],
  ["kubectl patch ing web -n shop -p '{metadata: {annotations: {nginx.ingress.kubernetes.io/configuration-snippet: x}}}'", 'forbidden', 'snippet'],
  ["kubectl patch deploy web -n shop -p 'spec: {replicas: 0}'", 'high', 'scales to 0'],
  // Near misses: ordinary keys keep the verb's level.
  ['kubectl annotate deployment web -n shop oncall/note=restarted', 'medium'],
  ['kubectl label pod web-1 -n shop debug=true', 'medium'],
  ['kubectl annotate svc web -n shop prometheus.io/scrape=true', 'medium'],
];

const magnitude: Row[] = [
  ['kubectl scale deployment/web -n shop --replicas=500', 'high', 'above the cap'],
  ['kubectl scale statefulset db -n shop --replicas=51', 'high', 'above the cap'],
  ['kubectl autoscale deploy web -n shop --min=2 --max=5000', 'high', 'sets 5000 replicas'],
  ['kubectl patch hpa web -n shop -p \'{"spec":{"maxReplicas":900}}\'', 'high', 'above the cap'],
  ['kubectl patch deploy web -n shop -p \'{"spec":{"replicas":10000}}\'', 'high', 'above the cap'],
  ['kubectl set resources deploy/web -n shop -c app --limits=memory=4Ti', 'high', 'beyond any single container'],
  ['kubectl set resources deploy/web -n shop -c app --requests=cpu=1m', 'high', 'below any workable value'],
  ['kubectl set resources deploy/web -n shop --limits=cpu=500,memory=1Gi', 'high', 'beyond any single container'],
  ['kubectl set resources deploy/web -n shop --limits=memory=1Mi', 'high', 'below any workable value'],
  ['kubectl rollout undo deployment/web -n shop --to-revision=1', 'high', 'to-revision'],
  ['kubectl rollout undo deployment/web -n shop --to-revision=0', 'medium'],
  ['kubectl cordon n1 n2 n3', 'high', 'names 3 nodes'],
  ['kubectl uncordon node/n1 node/n2 node/n3 node/n4', 'high', 'nodes'],
  ['kubectl rollout restart deployment a b c d e f -n shop', 'high', 'names 6 objects'],
  ['kubectl rollout restart ds/fluentd -n logging', 'high', 'every node'],
  ['kubectl rollout restart daemonset fluentd -n logging', 'high', 'every node'],
  ['kubectl set resources ds/fluentd -n logging --limits=memory=512Mi', 'high', 'every node'],
  // The runbook's remediations keep their level.
  ['kubectl scale deployment/web -n shop --replicas=3', 'medium'],
  ['kubectl rollout undo deployment/web -n shop', 'medium'],
  ['kubectl set resources deployment/web -n shop -c app --limits=memory=512Mi', 'medium'],
  ['kubectl set resources deployment/web -n shop -c app --limits=memory=1024Mi --requests=memory=1024Mi', 'medium'],
  ['kubectl uncordon n1', 'medium'],
  ['kubectl cordon n1 n2', 'medium'],
  ['kubectl rollout restart deployment/web -n shop', 'medium'],
];

describe('risk by effect (issue 13)', () => {
  it.each(localFileReads)('local file reads: %j → %s', (...row) => expectRow(row));
  it.each(remoteKustomizations)('remote kustomizations: %j → %s', (...row) => expectRow(row));
  it.each(localWrites)('local file writes: %j → %s', (...row) => expectRow(row));
  it.each(networkExposure)('network exposure: %j → %s', (...row) => expectRow(row));
  it.each(webhooksByAnotherName)('conversion webhooks: %j → %s', (...row) => expectRow(row));
  it.each(metadataKeys)('label and annotation keys: %j → %s', (...row) => expectRow(row));
  it.each(magnitude)('magnitude: %j → %s', (...row) => expectRow(row));

  it('the replica cap comes from the policy', () => {
    expect(assessCommand('kubectl scale deploy/web -n shop --replicas=12', { ...POLICY, maxReplicas: 10 }).level).toBe('high');
    expect(assessCommand('kubectl scale deploy/web -n shop --replicas=12', POLICY).level).toBe('medium');
  });

  it('low is earned: a read that scores above low is not read-only, so every guard applies to it', () => {
    for (const line of ['kubectl get -f web.yaml', 'kubectl get secret db -n shop -o yaml', 'kubectl describe secret db -n shop']) {
      const a = assessCommand(line, POLICY);
      expect(a.level, line).not.toBe('low');
      expect(a.readOnly, line).toBe(false);
    }
    expect(assessCommand('kubectl get pods -n shop', POLICY).readOnly).toBe(true);
  });

  it('a patch nested thousands of levels deep is scored forbidden, not a stack overflow', () => {
    for (const depth of [70, 4_000, 20_000]) {
      const body = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const a = assessCommand(`kubectl patch deploy web -n shop -p '${body}'`, POLICY);
      expect(a.level).toBe('forbidden');
      expect(a.reasons[0]).toMatch(/beyond what the scorer reads|nested deeper|longer than/);
    }
    const arrays = `[${'['.repeat(5_000)}${']'.repeat(5_000)}]`;
    expect(assessCommand(`kubectl patch deploy web -n shop --type=json -p '${arrays}'`, POLICY).level).toBe('forbidden');
    const wide = `{"spec":{${Array.from({ length: 12_000 }, (_, i) => `"k${i}":1`).join(',')}}}`;
    expect(assessCommand(`kubectl patch deploy web -n shop -p '${wide}'`, POLICY).level).toBe('forbidden');
  });
});

describe('path classification', () => {
  it.each([
    ['git@github.com:o/r', 'remote'], ['anyone@host:path', 'remote'], ['github.com:o/r', 'remote'], ['github.com/o/r', 'remote'],
    ['x?ref=main', 'remote'], ['https://x', 'remote'], ['git::ssh://x', 'remote'], ['-', 'stdin'], ['/etc/passwd', 'escapes'],
    ['a/../../b', 'escapes'], ['~/x', 'escapes'], ['.env', 'secret-location'], ['a/.ssh/b', 'secret-location'], ['web.yaml', 'relative'],
    ['overlays/prod', 'relative'], ['./manifests/', 'relative'], ['secret.yaml', 'relative'],
  ])('%s is %s', (value, kind) => {
    expect(classifyPath(value).kind).toBe(kind);
  });

  it('plain relative paths are never remote', () => {
    for (const v of ['deploy.yaml', 'overlays/prod', 'k8s/base', './x/y.yml']) expect(remoteReason(v)).toBeUndefined();
  });
});
