import { describe, it } from 'vitest';
import { expectRow, type Row } from './corpus-helpers.js';

// Rows found by the adversarial audit: each was misclassified before its fix (the comment says how), next to the
// near-misses that must keep their level. Secret-printing rows were checked against the real kubectl v1.32
// (test/integration/risk/secret-output-vs-kubectl.test.ts).

const secretOutput: Row[] = [
  // kubectl lower-cases json and yaml: these print the whole Secret (were low).
  ['kubectl get secret db -o YAML', 'high', 'prints Secret data'],
  ['kubectl get secret db -o Json', 'high', 'prints Secret data'],
  ['kubectl get secrets --output=JSON -n shop', 'high', 'prints Secret data'],
  ['kubectl get secret db -oYaml', 'high', 'prints Secret data'],
  // Every verb with an object printer prints the object it read or changed (were medium or low).
  ['kubectl label secret db a=b -o yaml', 'high', 'prints Secret data'],
  ['kubectl annotate secret/db a=b -o json', 'high', 'prints Secret data'],
  ["kubectl annotate secret db a=b -o 'jsonpath={.data}'", 'high', 'prints Secret data'],
  ['kubectl wait secret/db --for=create -o json', 'high', 'prints Secret data'],
  ["kubectl wait --for='jsonpath={.type}=Opaque' secret/db -o yaml", 'high', 'prints Secret data'],
  ['kubectl label -f secret.yaml a=b -o yaml', 'high', 'prints Secret data'],
  // Objects from a file may be Secrets (were low).
  ['kubectl describe -f secret.yaml', 'high', 'describes a Secret'],
  ['kubectl describe -k ./overlay', 'high', 'describes a Secret'],
  ['kubectl apply view-last-applied -f secret.yaml', 'high', 'last-applied'],
  // Near-misses: no printer, no data, or not a Secret.
  ['kubectl label secret db a=b', 'medium'],
  ['kubectl label secret db a=b -o name', 'medium'],
  ['kubectl wait secret/db --for=delete', 'low'],
  ['kubectl get secrets -o name', 'low'],
  ['kubectl get secrets -o wide', 'low'],
  ['kubectl get secrets --show-labels -L app', 'low'],
  ['kubectl get secret db --sort-by=.metadata.name', 'low'],
  ['kubectl get configmap cfg -o YAML', 'low'],
  ['kubectl label configmap cfg a=b -o yaml', 'medium'],
  ['kubectl get all -o YAML', 'low'],
  ['kubectl get -f secret.yaml', 'high', 'reads files on the agent'],
  ['kubectl describe pod web-1', 'low'],
  ['kubectl wait deploy/web --for=condition=Available -o yaml', 'low'],
];

const graceAndFlags: Row[] = [
  // pflag reads ints with sign and base prefix: these are all --grace-period=0 (the reason was missing).
  ['kubectl delete pod x --grace-period=00', 'high', 'immediate deletion'],
  ['kubectl delete pod x --grace-period=+0', 'high', 'immediate deletion'],
  ['kubectl delete pod x --grace-period=0x0', 'high', 'immediate deletion'],
  ['kubectl delete pod x --grace-period 0', 'high', 'immediate deletion'],
  // `debug --profile` is debug's own flag (a security profile), not the global pprof --profile (was forbidden).
  ['kubectl debug web-1 -it --image=busybox --profile=general', 'high', 'runs a command in a container'],
  ['kubectl debug node/n1 -it --image=busybox --profile=sysadmin', 'high'],
  ['kubectl get pods --profile=cpu', 'forbidden', 'writes files on the agent\'s machine: --profile'],
  ['kubectl debug web-1 --image=busybox --profile-output=/tmp/p', 'forbidden', '--profile-output'],
];

const kustomizeLocalExec: Row[] = [
  // These make kustomize run programs (helm, exec or container KRM functions) or read files outside the
  // kustomization root, on the agent's own machine (were high).
  ['kubectl kustomize --enable-helm ./overlay', 'forbidden', 'kustomize would run programs'],
  ['kubectl kustomize --enable-helm --helm-command=/tmp/evil ./overlay', 'forbidden', '--helm-command'],
  ['kubectl kustomize --enable-alpha-plugins ./overlay', 'forbidden', '--enable-alpha-plugins'],
  ['kubectl kustomize --enable-alpha-plugins --mount=type=bind,src=/,dst=/host ./overlay', 'forbidden', '--mount'],
  ['kubectl kustomize --network ./overlay', 'forbidden', '--network'],
  ['kubectl kustomize --as-current-user ./overlay', 'forbidden', '--as-current-user'],
  ['kubectl kustomize --load-restrictor=LoadRestrictionsNone ./overlay', 'forbidden', '--load-restrictor'],
  ['kubectl kustomize --load-restrictor LoadRestrictionsNone ./overlay', 'forbidden', '--load-restrictor'],
  ['kubectl kustomize ./overlay', 'high'],
  ['kubectl kustomize --load-restrictor=LoadRestrictionsRootOnly ./overlay', 'high'],
];

const missingValues: Row[] = [
  // A value-taking flag at the end of the line: kubectl stops with "flag needs an argument"; we refuse to guess
  // (`label … -f` was medium, its objects unknown).
  ['kubectl label restart describe rollout -f', 'forbidden', 'flag -f needs a value'],
  ['kubectl apply -f', 'forbidden', 'needs a value'],
  ['kubectl get secrets -o', 'forbidden', 'flag -o needs a value'],
  ['kubectl get pods --kubeconfig', 'forbidden', '--kubeconfig needs a value'],
  ['kubectl scale deploy web --replicas', 'forbidden', 'needs a value'],
  ['kubectl get pods --watch', 'low'],
  ['kubectl delete pod x --force', 'high'],
  ['kubectl delete pod x --dry-run', 'high'],
];

const createPlugins: Row[] = [
  // kubectl 1.32 runs kubectl-create-<word> from PATH for a create sub-verb it does not know (were high).
  ['kubectl create foo x', 'forbidden', 'kubectl-create-foo'],
  ['kubectl create foo -f x.yaml', 'forbidden', 'kubectl would run a plugin'],
  ['kubectl create Deployment web --image=nginx', 'forbidden', 'kubectl-create-Deployment'],
  ['kubectl -n shop create foo', 'forbidden', 'kubectl would run a plugin'],
  ['kubectl create deploy web --image=nginx', 'high'],
  ['kubectl create -f x.yaml', 'high'],
  ['kubectl create secret generic s --from-literal=a=b', 'high'],
];

// Spellings the audit tried that were already right; kept so a regression shows up here.
const alreadyRight: Row[] = [
  ['kubectl delete Namespaces x', 'forbidden', 'namespaces'],
  ['kubectl delete pv,pvc x', 'forbidden', 'persistentvolumes, persistentvolumeclaims'],
  ['kubectl delete -n foo namespace x', 'forbidden', 'namespaces'],
  ['kubectl delete namespaces.v1. x', 'forbidden', 'namespaces'],
  ['kubectl delete namespaces. x', 'forbidden', 'namespaces'],
  ['kubectl delete no,po x', 'forbidden', 'nodes'],
  ['kubectl delete persistentvolumeclaim/x', 'forbidden', 'persistentvolumeclaims'],
  ['kubectl delete customresourcedefinitions.apiextensions.k8s.io x', 'forbidden', 'customresourcedefinitions'],
  ['kubectl delete mutatingwebhookconfigurations.admissionregistration.k8s.io x', 'forbidden', 'mutatingwebhookconfigurations'],
  ['kubectl delete validatingwebhookconfigurations.v1.admissionregistration.k8s.io x', 'forbidden', 'validatingwebhookconfigurations'],
  ['kubectl delete po -Al app=x', 'forbidden', 'deletes across all namespaces'],
  ['kubectl delete po --all-namespaces=True x', 'forbidden', 'deletes across all namespaces'],
  ['kubectl delete ALL --all', 'forbidden', 'deletes every workload'],
  ['kubectl delete pods -As x', 'forbidden', '--server'],
  ['kubectl --insecure-skip-tls-verify=false get pods', 'forbidden', '--insecure-skip-tls-verify'],
  ['kubectl get pods --as=', 'forbidden', '--as'],
  ['kubectl auth can-i --list --as=x', 'forbidden', '--as'],
  ['kubectl config view --minify', 'forbidden', 'kubectl config'],
  ['kubectl config use prod', 'forbidden', 'kubectl config'],
  ['kubectl proxy -p 0', 'forbidden', 'kubectl proxy'],
  ['kubectl apply -f ftp://x/y.yaml', 'forbidden', 'manifest from a URL'],
  ['kubectl apply -f file:///etc/x.yaml', 'forbidden', 'manifest from a URL'],
  ["kubectl apply -k 'https://github.com/x/y?ref=main'", 'forbidden', 'manifest from a URL'],
  ['kubectl apply -k ssh://git@github.com/x', 'forbidden', 'manifest from a URL'],
  ['kubectl create token sa -n shop', 'forbidden', 'service-account token'],
  ['kubectl create secret generic t --type=Kubernetes.io/Service-Account-Token', 'forbidden', 'service-account token secret'],
  ['kubectl label rolebinding x a=b', 'forbidden', 'RBAC'],
  ['kubectl create clusterrole x --verb=get --resource=pods --dry-run=client', 'forbidden', 'RBAC'],
  ['kubectl create serviceaccount sa -n shop', 'high'],
  ['kubectl create sa sa -n shop', 'high'],
  // Unknown manifest content: high (never low); YOLO needs the high-risk confidence and a namespace.
  ['kubectl apply -f rbac.yaml', 'high', 'objects come from a file'],
  ['kubectl apply -f -', 'high', 'objects come from a file'],
  ['kubectl scale deploy web --replicas=+0', 'high', 'scales to 0'],
  ['kubectl scale deploy web --replicas=1 --replicas=0', 'high', 'scales to 0'],
  ['kubectl scale deploy web --replicas=0 --replicas=1', 'medium'],
  ['kubectl patch deploy web -p=\'{"spec":{"replicas":0}}\'', 'high', 'scales to 0'],
  ['kubectl patch deploy web --type=JSON -p \'[{"op":"replace","path":"/spec/replicas","value":0}]\'', 'high', 'scales to 0'],
  ['kubectl patch deploy web -p \'{"spec":{"template":{"spec":{"initContainers":[{"name":"i","image":"x"}]}}}}\'', 'high', 'changes a container image'],
  ['kubectl get pods \\$\\(id\\)', 'low'],
  ['kubectl get pods \\$(id)', 'forbidden', 'unquoted "("'],
  ['kubectl get pods x=~y', 'forbidden', '"~"'],
  ["'kub'ectl get pods", 'low'],
  ["kubectl '' get pods", 'forbidden', 'unknown verb'],
  ['kubectl get pods -- -n kube-system', 'forbidden', 'starts with "-"'],
  ['kubectl -n kube-system delete pod x -n shop', 'high'],
  ['kubectl -n shop delete pod x -n kube-system', 'high', 'protected namespace: kube-system'],
];

describe('scorer corpus: adversarial audit', () => {
  // PROTECTED_NAMESPACES="Payments" can only mean the namespace payments (names are lower-case); was medium.
  it.each<Row>([
    ['kubectl rollout restart deploy/api -n payments', 'high', 'targets a protected namespace: payments'],
    ['kubectl label ns payments a=b', 'high', 'targets a protected namespace: payments'],
    ['kubectl rollout restart deploy/api -n shop', 'medium'],
  ])('PROTECTED_NAMESPACES is case-insensitive: %j → %s', (...row) => expectRow(row, { protectedNamespaces: ['Payments'], denyList: [] }));

  it.each(secretOutput)('Secret output: %j → %s', (...row) => expectRow(row));
  it.each(graceAndFlags)('grace period and --profile: %j → %s', (...row) => expectRow(row));
  it.each(kustomizeLocalExec)('kustomize local execution: %j → %s', (...row) => expectRow(row));
  it.each(missingValues)('flag without its value: %j → %s', (...row) => expectRow(row));
  it.each(createPlugins)('create sub-verb plugins: %j → %s', (...row) => expectRow(row));
  it.each(alreadyRight)('already right: %j → %s', (...row) => expectRow(row));
});
