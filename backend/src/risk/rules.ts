import type { RiskLevel } from '../domain/risk.js';
import { classifyPath, isPodPath, remoteReason } from './local-paths.js';
import { staticMagnitude } from './magnitude.js';
import { METADATA_KEY_RULES, matchMetadataKeys, metadataKeysOf, readAssignment, type MetadataKeyRule } from './metadata-keys.js';
import type { ParsedKubectl } from './parse.js';

/**
 * The risk rules, as data. score.ts applies them; nothing else decides a level.
 * A rule fires when every criterion it names holds; `test` may return a string that is appended to the reason.
 */
export interface RiskRule {
  id: string;
  level: RiskLevel;
  reason: string;
  /** Leaf command paths ("rollout undo") or verbs ("delete") this rule is about; absent = any. */
  commands?: string[];
  /** Fires when the command names any of these resource types. */
  resources?: string[];
  /** Only for commands that can change something (baseline above low). */
  writesOnly?: boolean;
  test?: (cmd: ParsedKubectl, ctx: RuleContext) => boolean | string;
}

export interface RuleContext {
  protectedNamespaces: ReadonlySet<string>;
  /** The verb cannot change the cluster (its baseline is low); the assessment's readOnly also needs a low level. */
  readOnly: boolean;
  /** Replica count above which a scale is high (policy maxReplicas). */
  maxReplicas: number;
}

/**
 * Baseline by command path (leaf first, then verb). A known command missing here (config, proxy, a bare "rollout") gets
 * high and whatever the rules add; an unknown verb is a plugin and is forbidden by score.ts.
 */
export const BASELINE: Record<string, RiskLevel> = {
  get: 'low', describe: 'low', logs: 'low', top: 'low', 'top node': 'low', 'top pod': 'low', explain: 'low',
  'api-resources': 'low', 'api-versions': 'low', 'auth can-i': 'low', 'auth whoami': 'low', 'rollout status': 'low',
  'rollout history': 'low', events: 'low', diff: 'low', version: 'low', 'cluster-info': 'low', completion: 'low',
  wait: 'low', 'apply view-last-applied': 'low', 'plugin list': 'low',
  scale: 'medium', 'rollout restart': 'medium', 'rollout undo': 'medium', 'rollout pause': 'medium',
  'rollout resume': 'medium', label: 'medium', annotate: 'medium', 'set resources': 'medium', cordon: 'medium',
  uncordon: 'medium',
  delete: 'high', apply: 'high', create: 'high', replace: 'high', patch: 'high', 'set image': 'high', edit: 'high',
  exec: 'high', 'port-forward': 'high', cp: 'high', debug: 'high', run: 'high', attach: 'high', drain: 'high',
  taint: 'high', 'set env': 'high', 'set selector': 'high', 'set serviceaccount': 'high', 'set subject': 'high',
  autoscale: 'high', expose: 'high', 'certificate deny': 'high', 'certificate approve': 'high', 'cluster-info dump': 'high',
  kustomize: 'high', 'apply set-last-applied': 'high', 'apply edit-last-applied': 'high', 'auth reconcile': 'high',
  plugin: 'low',
};

/** Flags that point kubectl at other credentials, another cluster, or change how it trusts the server. */
export const CREDENTIAL_FLAGS = [
  'kubeconfig', 'context', 'cluster', 'server', 'token', 'user', 'as', 'as-group', 'as-uid', 'certificate-authority',
  'client-key', 'client-certificate', 'insecure-skip-tls-verify', 'username', 'password', 'tls-server-name',
  // A planted discovery cache could remap resource names (make "po" mean namespaces): it is a target override too.
  'cache-dir',
  // logs: skips verifying the kubelet's certificate.
  'insecure-skip-tls-verify-backend',
];

export const RBAC_RESOURCES = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'];
/** Objects that see or block every API request, or take over an API group. */
// A CRD's conversion webhook sees and rewrites every object of its type: the same class as an admission webhook.
export const ADMISSION_RESOURCES = [
  'mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies',
  'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings', 'apiservices',
  'customresourcedefinitions',
];
export const UNDELETABLE_RESOURCES = ['namespaces', 'nodes', 'persistentvolumes', 'persistentvolumeclaims', ...ADMISSION_RESOURCES];
/** Output formats that print an object's fields, and so a Secret's data. */
// Case-insensitive: kubectl lower-cases json and yaml (`-o YAML` prints the whole object), and being strict about the
// others costs nothing.
const DATA_OUTPUT = /^(json|yaml|jsonpath|jsonpath-as-json|jsonpath-file|go-template|go-template-file|template|templatefile|custom-columns|custom-columns-file)(=|$)/i;

/** Flags whose value is a local file kubectl reads and ships to the cluster (create configmap/secret). */
// debug --custom reads a container spec from a local file.
const LOCAL_FILE_FLAGS = ['from-file', 'from-env-file', 'cert', 'key', 'custom'];
const isRemotePath = isPodPath;
/**
 * Every value kubectl reads as a manifest source: -f, -k, and `kubectl kustomize DIR`. kustomize clones anything that
 * parses as a repository before it looks for a local directory, so each one is classified, in every verb.
 */
const manifestSources = (cmd: ParsedKubectl) => [
  ...cmd.filenames, ...(cmd.kustomize !== undefined ? [cmd.kustomize] : []), ...(cmd.verb === 'kustomize' ? cmd.extraArgs : []),
  // patch --patch-file reads a local file just as -f does (and echoes what it cannot decode).
  ...cmd.flagList.filter((f) => f.name === 'patch-file' && typeof f.value === 'string').map((f) => String(f.value)),
];
/** `port-forward --address` values that stay on the agent's own machine. */
const isLoopback = (address: string) => /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i.test(address.trim());
function keyRule(k: MetadataKeyRule): RiskRule {
  return {
    id: `key-${k.id}`, level: k.level, reason: k.reason,
    test: (cmd) => {
      const keys = metadataKeysOf(cmd);
      const hits = [...(k.on !== 'annotations' ? matchMetadataKeys(keys.labels, 'labels') : []), ...(k.on !== 'labels' ? matchMetadataKeys(keys.annotations, 'annotations') : [])]
        .filter((f) => f.rule.id === k.id)
        .flatMap((f) => f.keys);
      return hits.length > 0 && [...new Set(hits)].join(', ');
    },
  };
}
const flagSet = (cmd: ParsedKubectl, name: string) => cmd.flagList.some((f) => f.name === name);
const fromFiles = (cmd: ParsedKubectl) => cmd.filenames.length > 0 || cmd.kustomize !== undefined;
const printsFields = (cmd: ParsedKubectl) => (cmd.output !== undefined && DATA_OUTPUT.test(cmd.output)) || flagSet(cmd, 'template');
const normalisedFlagName = (name: string) => name.toLowerCase().replace(/_/g, '-');
/** Secrets named, or objects from a file/kustomization the scorer cannot see (which may hold Secrets). */
const mayTouchSecrets = (cmd: ParsedKubectl) => cmd.resources.includes('secrets') || (cmd.resources.length === 0 && fromFiles(cmd));
/** pflag parses ints with base prefix and sign ("00", "+0", "0x0" are all 0). */
const isZeroInt = (v: string | boolean | undefined) => typeof v === 'string' && v.trim() !== '' && Number(v) === 0;
/** Global flags that write files on the agent's machine; `debug --profile` is a local flag (a debugging profile). */
// `kubectl kustomize -o PATH` writes the build to a file: its -o is a path, not a printer.
const localFileWriteFlags = (cmd: ParsedKubectl) =>
  ['profile', 'profile-output', 'output-directory', ...(cmd.verb === 'kustomize' ? ['output'] : [])].filter((n) => flagSet(cmd, n) && !(n === 'profile' && cmd.verb === 'debug'));
/** kubectl kustomize flags that run programs (exec/container KRM functions, helm) or read outside the kustomization root. */
export const KUSTOMIZE_LOCAL_EXEC_FLAGS = ['enable-alpha-plugins', 'enable-helm', 'helm-command', 'mount', 'network', 'network-name', 'as-current-user', 'load-restrictor'];

/**
 * The protected namespaces a command reaches by name: its -n namespace, Namespace objects it names
 * (`label ns kube-system`), and the namespace in a `cp ns/pod:path` argument. The scorer and the mode policy both use
 * this, so "targets a protected namespace" means the same thing in both places.
 */
export function protectedNamespacesTouched(cmd: ParsedKubectl, protectedNamespaces: ReadonlySet<string>): string[] {
  const named = cmd.namespace !== undefined && protectedNamespaces.has(cmd.namespace) ? [cmd.namespace] : [];
  const objects = cmd.targets.filter((t) => t.resource === 'namespaces' && t.name && protectedNamespaces.has(t.name)).map((t) => t.name ?? '');
  const cp = cmd.verb === 'cp' ? cmd.extraArgs.map((a) => /^([^/:]+)\/[^/:]+:/.exec(a)?.[1]).filter((ns): ns is string => !!ns && protectedNamespaces.has(ns)) : [];
  return [...new Set([...named, ...objects, ...cp])];
}

export const RULES: RiskRule[] = [
  // ── forbidden ────────────────────────────────────────────────────────────────────────────────────────────────────
  { id: 'config', level: 'forbidden', reason: 'kubectl config reads or rewrites kubeconfig credentials', commands: ['config'] },
  {
    // kubectl 1.32 resolves `create <word>` it does not know to a `kubectl-create-<word>` plugin on PATH and runs it.
    id: 'create-plugin', level: 'forbidden', reason: 'unknown create sub-verb: kubectl would run a plugin, an arbitrary binary',
    commands: ['create'], test: (cmd) => cmd.commandPath.length === 1 && cmd.extraArgs.length > 0 && `kubectl-create-${cmd.extraArgs[0]}`,
  },
  { id: 'proxy', level: 'forbidden', reason: 'kubectl proxy opens an unauthenticated door to the API server', commands: ['proxy'] },
  {
    id: 'credential-flag', level: 'forbidden', reason: 'credential or target override flag',
    test: (cmd) => {
      const hits = cmd.flagList.filter((f) => CREDENTIAL_FLAGS.includes(normalisedFlagName(f.name))).map((f) => `--${f.name}`);
      return hits.length > 0 && [...new Set(hits)].join(', ');
    },
  },
  {
    id: 'local-file-write', level: 'forbidden', reason: 'writes files on the agent\'s machine',
    test: (cmd) => localFileWriteFlags(cmd).map((n) => `--${n}`).join(', ') || false,
  },
  {
    id: 'kustomize-exec', level: 'forbidden', reason: 'kustomize would run programs or read files outside the kustomization on the agent\'s machine',
    commands: ['kustomize'],
    test: (cmd) => KUSTOMIZE_LOCAL_EXEC_FLAGS.filter((n) => flagSet(cmd, n) && !(n === 'load-restrictor' && cmd.flags[n] === 'LoadRestrictionsRootOnly')).map((n) => `--${n}`).join(', ') || false,
  },
  {
    id: 'local-file-read', level: 'forbidden', reason: 'reads a file on the agent\'s machine into the cluster or the output (it could carry the agent\'s credentials)',
    test: (cmd) =>
      cmd.flagList
        .filter((f) => LOCAL_FILE_FLAGS.includes(f.name) && !(f.name === 'key' && cmd.subVerb !== 'secret'))
        .map((f) => `--${f.name}`)
        .concat(cmd.output !== undefined && /^[a-z-]+-file(=|$)|^templatefile(=|$)/.test(cmd.output) ? [`-o ${cmd.output}`] : [])
        .concat(cmd.verb === 'cp' && cmd.extraArgs.length > 0 && !isRemotePath(cmd.extraArgs[0]) ? [`cp source "${cmd.extraArgs[0]}"`] : [])
        .join(', ') || false,
  },
  {
    // The agent's working directory holds the kill switch, breaker state, audit file, .env, node_modules and the
    // code: any write there, relative paths included, is as bad as one to /etc.
    id: 'cp-local-write', level: 'forbidden', reason: 'writes a file on the agent\'s machine',
    commands: ['cp'],
    test: (cmd) => {
      const dest = cmd.extraArgs[cmd.extraArgs.length - 1];
      return cmd.extraArgs.length >= 2 && dest !== undefined && !isRemotePath(dest) && `cp destination "${dest}"`;
    },
  },
  {
    id: 'url-manifest', level: 'forbidden', reason: 'manifest from a URL or remote repository (unreviewed remote content that kubectl or kustomize fetches)',
    test: (cmd) => manifestSources(cmd).map((v) => ({ v, why: remoteReason(v) })).filter((x) => x.why).map((x) => `${x.v} (${x.why})`).join(', ') || false,
  },
  {
    id: 'local-path-forbidden', level: 'forbidden', reason: 'reads a file outside the working directory or where credentials live (kubectl echoes a file it cannot decode)',
    test: (cmd) =>
      manifestSources(cmd)
        .map((v) => ({ v, c: classifyPath(v) }))
        .filter((x) => x.c.kind === 'escapes' || x.c.kind === 'secret-location')
        .map((x) => `${x.v}${'why' in x.c ? ` (${x.c.why})` : ''}`)
        .join(', ') || false,
  },
  {
    id: 'port-forward-exposed', level: 'forbidden', reason: 'port-forward listening beyond loopback is an unauthenticated door into the cluster',
    commands: ['port-forward'],
    test: (cmd) => cmd.flagList.filter((f) => f.name === 'address').flatMap((f) => String(f.value).split(',')).filter((a) => !isLoopback(a)).join(', ') || false,
  },
  {
    id: 'patch-beyond-bound', level: 'forbidden', reason: 'patch body beyond what the scorer reads',
    commands: ['patch'], test: (cmd) => cmd.patch?.beyondBound ?? false,
  },
  ...METADATA_KEY_RULES.filter((k) => k.level === 'forbidden').map(keyRule),
  { id: 'raw-write', level: 'forbidden', reason: '--raw write bypasses every resource check', test: (cmd, ctx) => !ctx.readOnly && flagSet(cmd, 'raw') },
  {
    // --raw is a path on the API server; a URL or host there sends the agent's credentials somewhere else.
    id: 'raw-url', level: 'forbidden', reason: '--raw names a URL or another host, not an API path',
    test: (cmd) => cmd.flagList.filter((f) => f.name === 'raw' && typeof f.value === 'string' && (!String(f.value).startsWith('/') || String(f.value).startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(String(f.value)))).map((f) => String(f.value)).join(', ') || false,
  },
  {
    id: 'delete-protected-kind', level: 'forbidden', reason: 'deletes a kind that must never be deleted', commands: ['delete'],
    test: (cmd) => cmd.resources.filter((r) => UNDELETABLE_RESOURCES.includes(r)).join(', ') || false,
  },
  {
    id: 'delete-unseen', level: 'forbidden', reason: 'deletes objects from a file the scorer cannot see (it could hold a namespace or a volume)',
    commands: ['delete'], test: (cmd) => fromFiles(cmd) && [...cmd.filenames, cmd.kustomize].filter(Boolean).join(', '),
  },
  {
    id: 'prune', level: 'forbidden', reason: 'apply --prune deletes every object missing from the manifest, namespaces and volumes included',
    commands: ['apply'], test: (cmd) => flagSet(cmd, 'prune') && cmd.flags.prune !== 'false',
  },
  {
    id: 'replace-force', level: 'forbidden', reason: 'replace --force deletes and recreates objects from a file the scorer cannot see',
    commands: ['replace'], test: (cmd) => flagSet(cmd, 'force') && cmd.flags.force !== 'false' && fromFiles(cmd),
  },
  { id: 'delete-all-namespaces', level: 'forbidden', reason: 'deletes across all namespaces', commands: ['delete'], test: (cmd) => cmd.allNamespaces },
  {
    id: 'delete-everything', level: 'forbidden', reason: 'deletes every workload in the namespace', commands: ['delete'], resources: ['all'],
    test: (cmd) => cmd.all || (cmd.names.length === 0 && cmd.selector === undefined && cmd.fieldSelector === undefined),
  },
  { id: 'rbac-write', level: 'forbidden', reason: 'creates or changes RBAC', resources: RBAC_RESOURCES, writesOnly: true },
  { id: 'rbac-command', level: 'forbidden', reason: 'creates or changes RBAC', commands: ['set subject', 'auth reconcile'] },
  { id: 'admission-write', level: 'forbidden', reason: 'changes admission control, conversion webhooks or API registration, which sees every request', resources: ADMISSION_RESOURCES, writesOnly: true },
  { id: 'create-token', level: 'forbidden', reason: 'creates a service-account token', commands: ['create token'] },
  {
    id: 'create-token-secret', level: 'forbidden', reason: 'creates a service-account token secret', commands: ['create secret generic'],
    test: (cmd) => typeof cmd.flags.type === 'string' && cmd.flags.type.toLowerCase().includes('service-account-token'),
  },
  { id: 'approve-csr', level: 'forbidden', reason: 'approving a certificate signing request can issue cluster credentials', commands: ['certificate approve'] },

  // ── high ─────────────────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'protected-namespace', level: 'high', reason: 'targets a protected namespace',
    test: (cmd, ctx) => protectedNamespacesTouched(cmd, ctx.protectedNamespaces).join(', ') || false,
  },
  {
    id: 'broad-write', level: 'high', reason: 'write scoped by --all, -A or a selector', writesOnly: true,
    test: (cmd) => [cmd.all && '--all', cmd.allNamespaces && '-A', cmd.selector !== undefined && `-l ${cmd.selector}`, cmd.fieldSelector !== undefined && `--field-selector ${cmd.fieldSelector}`].filter(Boolean).join(', ') || false,
  },
  {
    id: 'unnamed-write', level: 'high', reason: 'names no object, so it applies to every one of that type', writesOnly: true,
    commands: ['rollout restart', 'rollout pause', 'rollout resume', 'rollout undo', 'set resources', 'set image', 'set env', 'scale', 'label', 'annotate'],
    test: (cmd) => cmd.resources.length > 0 && cmd.names.length === 0 && !cmd.all && cmd.selector === undefined && cmd.fieldSelector === undefined && !fromFiles(cmd),
  },
  { id: 'scale-to-zero', level: 'high', reason: 'scales to 0 replicas', test: (cmd) => cmd.replicas === 0 || cmd.patch?.scalesToZero === true },
  { id: 'patch-image', level: 'high', reason: 'patch changes a container image', commands: ['patch'], test: (cmd) => cmd.patch?.setsImage === true },
  { id: 'patch-privilege', level: 'high', reason: 'patch changes privilege fields', commands: ['patch'], test: (cmd) => (cmd.patch?.privilegeFields.length ? cmd.patch.privilegeFields.join(', ') : false) },
  { id: 'patch-unreadable', level: 'high', reason: 'patch content cannot be checked', commands: ['patch'], test: (cmd) => cmd.patch?.unreadable ?? (flagSet(cmd, 'patch-file') && '--patch-file') },
  // Any verb with -o json/yaml/jsonpath/… prints the object it read or changed: `label secret x a=b -o yaml` and
  // `wait secret/x --for=create -o json` print the data just as `get` does.
  { id: 'secret-data', level: 'high', reason: 'prints Secret data', test: (cmd) => printsFields(cmd) && mayTouchSecrets(cmd) },
  // kubectl prints only key names and sizes here, but the rule is about intent: reading Secrets is for a human to do.
  { id: 'secret-describe', level: 'high', reason: 'describes a Secret (key names and sizes; reading Secrets is for a human)', commands: ['describe'], test: mayTouchSecrets },
  { id: 'secret-last-applied', level: 'high', reason: 'prints Secret data from the last-applied annotation', commands: ['apply view-last-applied', 'apply edit-last-applied'], test: mayTouchSecrets },
  { id: 'secret-edit', level: 'high', reason: 'opens Secret data in an editor', commands: ['edit'], resources: ['secrets'] },
  { id: 'raw-read', level: 'high', reason: '--raw can read any API path, Secrets included', test: (cmd, ctx) => ctx.readOnly && flagSet(cmd, 'raw') },
  { id: 'exec-prints', level: 'high', reason: 'runs a command in a container, which can print anything, mounted Secrets included', commands: ['exec', 'attach', 'debug', 'run'] },
  { id: 'cp-from-pod', level: 'high', reason: 'copies files out of a pod, possibly mounted Secrets', commands: ['cp'] },
  {
    id: 'verbose-bodies', level: 'high', reason: 'verbosity 6 or more logs API requests and responses, which can contain Secret data',
    test: (cmd) =>
      cmd.flagList.some(
        (f) =>
          (f.name === 'v' && Number(f.value) >= 6) ||
          (f.name === 'vmodule' && String(f.value).split(',').some((pair) => Number(pair.split('=')[1]) >= 6)),
      ),
  },
  { id: 'force', level: 'high', reason: '--force skips graceful handling', test: (cmd) => flagSet(cmd, 'force') && cmd.flags.force !== 'false' },
  { id: 'grace-zero', level: 'high', reason: 'immediate deletion (--grace-period=0 or --now)', test: (cmd) => isZeroInt(cmd.flags['grace-period']) || (flagSet(cmd, 'now') && cmd.flags.now !== 'false') },
  { id: 'overwrite', level: 'high', reason: '--overwrite replaces existing values (a changed label can drop pods from a Service or controller)', commands: ['label', 'annotate'], test: (cmd) => flagSet(cmd, 'overwrite') && cmd.flags.overwrite !== 'false' },
  { id: 'disable-eviction', level: 'high', reason: '--disable-eviction deletes pods and bypasses PodDisruptionBudgets', commands: ['drain'], test: (cmd) => flagSet(cmd, 'disable-eviction') },
  { id: 'noexecute-taint', level: 'high', reason: 'a NoExecute taint evicts running pods', commands: ['taint'], test: (cmd) => cmd.extraArgs.some((a) => a.endsWith(':NoExecute')) },
  { id: 'file-content', level: 'high', reason: 'objects come from a file the scorer cannot see', writesOnly: true, test: (cmd) => fromFiles(cmd) && [...cmd.filenames, cmd.kustomize].filter(Boolean).join(', ') },
  { id: 'unknown-flag', level: 'high', reason: 'unknown flag (kubectl will reject it)', test: (cmd) => cmd.unknownFlags.length > 0 && cmd.unknownFlags.join(', ') },
  { id: 'namespace-labels', level: 'high', reason: 'namespace labels drive Pod Security admission and NetworkPolicy selection', commands: ['label', 'annotate'], resources: ['namespaces'] },
  { id: 'env-resolve', level: 'high', reason: 'set env --resolve prints Secret values', commands: ['set env'], test: (cmd) => flagSet(cmd, 'resolve') },
  { id: 'edit-interactive', level: 'high', reason: 'edit opens an interactive editor', commands: ['edit', 'apply edit-last-applied'] },

  // ── effect beyond the verb ───────────────────────────────────────────────────────────────────────────────────────
  {
    // Any verb: `get -f FILE` prints a file it cannot decode in its error, without asking the API server.
    id: 'local-manifest-read', level: 'high', reason: 'reads files on the agent\'s machine (-f/-k); kubectl echoes what it cannot decode',
    test: (cmd) => manifestSources(cmd).filter((v) => ['relative', 'stdin'].includes(classifyPath(v).kind)).join(', ') || false,
  },
  ...METADATA_KEY_RULES.filter((k) => k.level !== 'forbidden').map(keyRule),
  {
    // Removing a label is a change like overwriting it: a pod without its app label leaves its Service and controller.
    id: 'label-removal', level: 'high', reason: 'removes a label (objects can drop out of Services, controllers and policies)',
    test: (cmd) => {
      const removed = cmd.verb === 'label' ? cmd.extraArgs.filter((a) => readAssignment(a).removes) : [];
      return removed.join(', ') || (cmd.patch?.replacesMetadataMap === true && 'replaces a whole labels/annotations map');
    },
  },
  { id: 'node-labels', level: 'high', reason: 'node labels decide where DaemonSets and workloads are scheduled', commands: ['label'], resources: ['nodes'] },
  { id: 'magnitude', level: 'high', reason: 'large change', writesOnly: true, test: (cmd, ctx) => staticMagnitude(cmd, { maxReplicas: ctx.maxReplicas }).join('; ') || false },
  {
    id: 'undo-to-revision', level: 'high', reason: 'rollout undo --to-revision swaps the whole template for an older revision (plain `rollout undo` goes to the previous one)',
    commands: ['rollout undo'], test: (cmd) => flagSet(cmd, 'to-revision') && !isZeroInt(cmd.flags['to-revision']) && `--to-revision=${String(cmd.flags['to-revision'])}`,
  },
  {
    id: 'daemonset-template', level: 'high', reason: 'changes a DaemonSet\'s pod template, which restarts a pod on every node',
    commands: ['rollout restart', 'rollout undo', 'set resources', 'set env', 'set image', 'patch', 'set serviceaccount'], resources: ['daemonsets'],
  },
];
