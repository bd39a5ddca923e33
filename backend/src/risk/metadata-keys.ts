import type { RiskLevel } from '../domain/risk.js';
import type { ParsedKubectl } from './parse.js';

/**
 * Label and annotation keys that change what an object is allowed to do, as data. A pattern is matched against the
 * lower-cased key: "prefix/*" matches every key under that prefix, "*" inside a name matches any run of characters,
 * anything else matches exactly. Setting, overwriting and removing (`key-`) a key are all changes.
 */
export interface MetadataKeyRule {
  id: string;
  level: RiskLevel;
  reason: string;
  patterns: string[];
  /** Only label keys, only annotation keys; absent = both. */
  on?: 'labels' | 'annotations';
}

export const METADATA_KEY_RULES: readonly MetadataKeyRule[] = [
  {
    id: 'cloud-identity', level: 'forbidden', reason: 'binds a cloud IAM identity to a service account or pod (privilege escalation outside the cluster)',
    patterns: [
      'eks.amazonaws.com/*', 'iam.gke.io/*', 'azure.workload.identity/*', 'iam.amazonaws.com/*', 'aadpodidbinding', 'aadpodidentitybinding',
      'iam.googleapis.com/*', 'irsa/*', 'oci.oraclecloud.com/workload-*',
    ],
  },
  {
    id: 'ingress-snippet', level: 'forbidden', reason: 'ingress-controller configuration snippet (runs arbitrary proxy config, can read the controller\'s Secrets)',
    on: 'annotations',
    patterns: ['*/*-snippet', '*/*snippets', 'nginx.ingress.kubernetes.io/lua-*', 'nginx.org/*-snippets', 'nginx.org/location-snippets', 'haproxy.org/*-config-snippet', 'haproxy-ingress.github.io/config-*'],
  },
  {
    id: 'secret-replication', level: 'forbidden', reason: 'reflects or replicates a Secret into other namespaces',
    patterns: ['reflector.v1.k8s.emberstack.com/*', 'replicator.v1.mittwald.de/*', 'kubed.appscode.com/*', 'secret-replicator/*', '*/replicate-to*', '*/reflection-*'],
  },
  {
    id: 'token-secret', level: 'forbidden', reason: 'turns a Secret into a service-account token (kubernetes.io/service-account.*)',
    on: 'annotations', patterns: ['kubernetes.io/service-account.*'],
  },
  {
    id: 'webhook-ca-injection', level: 'forbidden', reason: 'injects a CA bundle into webhook or conversion configurations',
    on: 'annotations', patterns: ['cert-manager.io/inject-ca-from*', 'cert-manager.io/inject-apiserver-ca', 'service.beta.openshift.io/inject-cabundle'],
  },
  {
    id: 'ingress-auth-routing', level: 'high', reason: 'changes ingress authentication, allow-lists, redirects or routing',
    on: 'annotations',
    patterns: [
      '*/auth-*', '*/*whitelist*', '*/*allowlist*', '*/*allow-list*', '*/*denylist*', '*/*-redirect*', '*/redirect-*', '*/rewrite-target',
      '*/backend-protocol', '*/upstream-vhost', '*/proxy-pass*', '*/ssl-passthrough', '*/enable-cors', '*/cors-*', '*/default-backend',
      '*/custom-http-errors', '*/mirror-*', '*/canary*', '*/service-upstream', '*/x-forwarded-prefix', '*/use-regex',
      'traefik.ingress.kubernetes.io/*', 'alb.ingress.kubernetes.io/*', 'kubernetes.io/ingress.class', 'ingress.kubernetes.io/*',
      'kubernetes.io/ingress.allow-http', 'projectcontour.io/*', 'konghq.com/*', 'appgw.ingress.kubernetes.io/*', 'ingress.gcp.kubernetes.io/*',
      'haproxy.org/*', 'haproxy-ingress.github.io/*', 'nginx.org/*', 'cert-manager.io/cluster-issuer', 'cert-manager.io/issuer',
    ],
  },
  {
    // Both maps: service.kubernetes.io/service-proxy-name is a label that makes kube-proxy drop the Service.
    id: 'load-balancer-exposure', level: 'high', reason: 'changes load-balancer exposure (internal or internet-facing) or how the Service is proxied',
    patterns: [
      'service.beta.kubernetes.io/*', 'service.kubernetes.io/*', 'networking.gke.io/*', 'cloud.google.com/load-balancer-type',
      'cloud.google.com/neg', 'alb.ingress.kubernetes.io/scheme', 'metallb.universe.tf/*', 'metallb.io/*', 'load-balancer.hetzner.cloud/*',
      'service.alpha.kubernetes.io/*',
    ],
  },
  { id: 'external-dns', level: 'high', reason: 'publishes or moves DNS records (external-dns)', on: 'annotations', patterns: ['external-dns.alpha.kubernetes.io/*'] },
  {
    id: 'default-class', level: 'high', reason: 'changes the cluster-wide default StorageClass, IngressClass or other default',
    patterns: ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class', 'ingressclass.kubernetes.io/is-default-class', '*/is-default-class', 'snapshot.storage.kubernetes.io/is-default-class'],
  },
  {
    id: 'node-selection', level: 'high', reason: 'a label the control plane, DaemonSets or schedulers select nodes on',
    on: 'labels',
    patterns: [
      'node-role.kubernetes.io/*', 'kubernetes.io/os', 'kubernetes.io/arch', 'kubernetes.io/hostname', 'beta.kubernetes.io/*',
      'topology.kubernetes.io/*', 'failure-domain.beta.kubernetes.io/*', 'node.kubernetes.io/*', 'node-restriction.kubernetes.io/*',
      'topology.*/*', 'node.*/*', 'karpenter.sh/*', 'eks.amazonaws.com/*', 'cloud.google.com/*', 'kubernetes.azure.com/*',
    ],
  },
  {
    id: 'admission-labels', level: 'high', reason: 'a key that admission, Pod Security or policy engines act on',
    patterns: [
      'pod-security.kubernetes.io/*', 'security.openshift.io/*', 'admission.gatekeeper.sh/*', 'policies.kyverno.io/*', 'kyverno.io/*',
      'config.linkerd.io/*', 'sidecar.istio.io/*', 'istio-injection', 'istio.io/rev', 'linkerd.io/inject', 'seccomp.security.alpha.kubernetes.io/*',
      'container.apparmor.security.beta.kubernetes.io/*', 'apparmor.security.beta.kubernetes.io/*', 'control-plane', 'kubernetes.io/metadata.name',
    ],
  },
  {
    id: 'controller-ownership', level: 'high', reason: 'changes which controller owns or reconciles the object (endpoints, GitOps, last-applied state)',
    patterns: [
      'endpointslice.kubernetes.io/managed-by', 'kubernetes.io/service-name', 'service.kubernetes.io/headless', 'kubectl.kubernetes.io/last-applied-configuration',
      'argocd.argoproj.io/*', 'kustomize.toolkit.fluxcd.io/*', 'helm.toolkit.fluxcd.io/*', 'fluxcd.io/*', 'meta.helm.sh/*', 'app.kubernetes.io/managed-by',
      'cluster-autoscaler.kubernetes.io/*', 'controller.kubernetes.io/*', 'deployment.kubernetes.io/*', 'statefulset.kubernetes.io/*',
    ],
  },
];

const compiled = new Map<string, RegExp>();
function toRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    re = new RegExp(`^${escaped}$`);
    compiled.set(pattern, re);
  }
  return re;
}

export interface KeyFinding {
  rule: MetadataKeyRule;
  keys: string[];
}

/** Which rules the keys hit; keys are label or annotation keys as written (removals without their trailing "-"). */
export function matchMetadataKeys(keys: readonly string[], on: 'labels' | 'annotations'): KeyFinding[] {
  const out: KeyFinding[] = [];
  for (const rule of METADATA_KEY_RULES) {
    if (rule.on && rule.on !== on) continue;
    const hits = keys.filter((key) => rule.patterns.some((p) => toRegExp(p).test(key.trim().toLowerCase())));
    if (hits.length > 0) out.push({ rule, keys: [...new Set(hits)] });
  }
  return out;
}

/** A label/annotate argument ("k=v", "k-", "k") as { key, removes }. */
export function readAssignment(arg: string): { key: string; removes: boolean } {
  const eq = arg.indexOf('=');
  if (eq >= 0) return { key: arg.slice(0, eq), removes: false };
  if (arg.endsWith('-')) return { key: arg.slice(0, -1), removes: true };
  return { key: arg, removes: false };
}

/** Label and annotation keys a command sets or removes, read from its structure. */
export function metadataKeysOf(cmd: ParsedKubectl): { labels: string[]; annotations: string[] } {
  const labels: string[] = [...(cmd.patch?.labelKeys ?? [])];
  const annotations: string[] = [...(cmd.patch?.annotationKeys ?? [])];
  const fromList = (v: string | boolean) => (typeof v === 'string' ? v.split(',').map((p) => readAssignment(p).key) : []);
  if (cmd.verb === 'label') labels.push(...cmd.extraArgs.map((a) => readAssignment(a).key));
  if (cmd.verb === 'annotate') annotations.push(...cmd.extraArgs.map((a) => readAssignment(a).key));
  for (const f of cmd.flagList) {
    if (f.name === 'labels') labels.push(...fromList(f.value));
    if (f.name === 'annotation' || f.name === 'annotations') annotations.push(...(typeof f.value === 'string' ? [readAssignment(f.value).key] : []));
  }
  return { labels, annotations };
}
