// /healthz, /livez and /readyz as a kube-apiserver answers them: "ok", the per-check list with ?verbose, and each
// check on its own path (/readyz/etcd). kube-sim has no failing checks.

const COMMON = [
  'ping', 'log', 'etcd', 'poststarthook/start-apiserver-admission-initializer', 'poststarthook/generic-apiserver-start-informers',
  'poststarthook/priority-and-fairness-config-consumer', 'poststarthook/priority-and-fairness-filter', 'poststarthook/storage-object-count-tracker-hook',
  'poststarthook/start-apiextensions-informers', 'poststarthook/start-apiextensions-controllers', 'poststarthook/crd-informer-synced',
  'poststarthook/start-system-namespaces-controller', 'poststarthook/bootstrap-controller', 'poststarthook/start-kube-apiserver-admission-initializer',
  'poststarthook/scheduling/bootstrap-system-priority-classes', 'poststarthook/priority-and-fairness-config-producer',
  'poststarthook/start-cluster-authentication-info-controller', 'poststarthook/aggregator-reload-proxy-client-cert',
  'poststarthook/start-kube-aggregator-informers', 'poststarthook/apiservice-registration-controller', 'poststarthook/apiservice-status-available-controller',
  'poststarthook/kube-apiserver-autoregistration', 'autoregister-completion', 'poststarthook/apiservice-openapi-controller',
  'poststarthook/apiservice-openapiv3-controller',
];
const CHECKS: Record<string, string[]> = {
  healthz: COMMON,
  livez: COMMON,
  readyz: ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync', ...COMMON.slice(3), 'shutdown'],
};

/** The body for /<endpoint>[/<check>]; undefined when the check does not exist (the server's 404). */
export function healthResponse(endpoint: string, check: string | undefined, verbose: boolean): string | undefined {
  const checks = CHECKS[endpoint];
  if (!checks) return undefined;
  if (check !== undefined) return checks.includes(check) ? 'ok' : undefined;
  if (!verbose) return 'ok';
  return `${checks.map((c) => `[+]${c} ok`).join('\n')}\n${endpoint} check passed\n`;
}
