import type { ParsedCommand } from '../domain/risk.js';
import { analysePatch, type PatchAnalysis } from './patch-body.js';
import { splitArgs, type FlagOccurrence } from './parse-flags.js';
import { CATEGORIES, resolveResource } from '../kube/resource-types.js';
import { isAsciiPrintable } from './tokenize.js';

/** One object (or type of objects) the command names. */
export interface Target {
  resource: string;
  name?: string;
}

/** Everything the rules look at, beyond the shared ParsedCommand. */
export interface ParsedKubectl extends ParsedCommand {
  /** ["rollout", "undo"]; verb and subVerb are its first two entries; create secret generic has three. */
  commandPath: string[];
  knownCommand: boolean;
  /** Every resource type named, canonical; a category is listed with all its member types. Empty for -f/-k only. */
  resources: string[];
  targets: Target[];
  /** Words that are not targets: label/annotate/env assignments, taints, ports, container names, cp paths. */
  extraArgs: string[];
  afterDash: string[];
  flagList: FlagOccurrence[];
  unknownFlags: string[];
  /** -f / --filename values, in order. */
  filenames: string[];
  kustomize?: string;
  output?: string;
  replicas?: number;
  patch?: PatchAnalysis;
  dryRun?: string;
  /** Problems that make the command unreadable: the scorer files them as forbidden. */
  problems: string[];
}

// Verbs whose positionals are "TYPE[,TYPE] NAME…" or "TYPE/NAME…".
const RESOURCE_VERBS = new Set([
  'get', 'describe', 'delete', 'edit', 'patch', 'label', 'annotate', 'scale', 'autoscale', 'expose', 'wait', 'rollout',
  'set', 'taint', 'apply view-last-applied', 'apply edit-last-applied',
]);
// Verbs whose first positional is a pod name or TYPE/NAME (default type pods).
const POD_VERBS = new Set(['logs', 'exec', 'attach', 'port-forward', 'debug']);
const NODE_VERBS = new Set(['cordon', 'uncordon', 'drain']);
// Words after the targets that assign rather than name: label/annotate "k=v" / "k-", set env "K=V", taint "k=v:Effect".
const ASSIGNING_VERBS = new Set(['label', 'annotate', 'set env', 'set image', 'set selector', 'taint', 'set subject']);
// create <sub> → the resource it creates.
const CREATE_RESOURCES: Record<string, string> = {
  clusterrole: 'clusterroles', clusterrolebinding: 'clusterrolebindings', configmap: 'configmaps', cronjob: 'cronjobs',
  deployment: 'deployments', ingress: 'ingresses', job: 'jobs', namespace: 'namespaces', poddisruptionbudget:
  'poddisruptionbudgets', priorityclass: 'priorityclasses', quota: 'resourcequotas', role: 'roles', rolebinding:
  'rolebindings', secret: 'secrets', service: 'services', serviceaccount: 'serviceaccounts', token: 'serviceaccounts',
};
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function lastValue(flags: FlagOccurrence[], name: string): string | boolean | undefined {
  for (let i = flags.length - 1; i >= 0; i -= 1) if (flags[i].name === name) return flags[i].value;
  return undefined;
}

const truthy = (v: string | boolean | undefined) => v === true || (typeof v === 'string' && v !== 'false' && v !== '');
const asString = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

function readTargets(positionals: string[], leaf: string, problems: string[]): { targets: Target[]; extra: string[] } {
  const targets: Target[] = [];
  const extra: string[] = [];
  const assigning = ASSIGNING_VERBS.has(leaf);
  let types: string[] = [];
  for (const word of positionals) {
    if (assigning && targets.length + types.length > 0 && (word.includes('=') || word.includes(':') || word.endsWith('-'))) {
      extra.push(word);
      continue;
    }
    const slash = word.indexOf('/');
    if (slash >= 0) {
      // kubectl rejects "a,b/name", but we resolve every type in it so a comma can never hide one.
      for (const type of word.slice(0, slash).split(',')) targets.push({ resource: resolveResource(type).name, name: word.slice(slash + 1) });
    } else if (types.length === 0 && targets.length === 0) {
      types = word.split(',').map((t) => resolveResource(t).name);
      if (types.some((t) => t === '')) problems.push(`empty resource type in "${word}"`);
    } else if (types.length > 0) {
      for (const type of types) targets.push({ resource: type, name: word });
    } else {
      extra.push(word);
    }
  }
  // A bare type ("delete pods --all") still names what the command acts on.
  if (types.length > 0 && !targets.some((t) => types.includes(t.resource))) for (const type of types) targets.push({ resource: type });
  return { targets, extra };
}

/** Parses the words after "kubectl" into a structured command. Never throws; unreadable input lands in `problems`. */
export function parseKubectlArgs(args: string[]): ParsedKubectl {
  const split = splitArgs(args);
  const problems = [...split.problems];
  const { commandPath, flags } = split;
  const verb = commandPath[0] ?? '';
  // Only exec, run and debug give "--" a meaning (the container command). Everywhere else cobra hands the words after
  // it to the command as ordinary arguments: `kubectl delete -- ns prod` deletes namespace prod.
  const commandAfterDash = verb === 'exec' || verb === 'run' || verb === 'debug';
  const positionals = commandAfterDash ? split.positionals : [...split.positionals, ...split.afterDash];
  const afterDash = commandAfterDash ? split.afterDash : [];
  const leaf = commandPath.join(' ');
  const group = RESOURCE_VERBS.has(leaf) ? leaf : RESOURCE_VERBS.has(verb) ? verb : leaf;

  let targets: Target[] = [];
  let extraArgs: string[] = [];
  const fromFiles = flags.some((f) => f.name === 'filename' || f.name === 'kustomize');
  if (fromFiles && ASSIGNING_VERBS.has(leaf)) {
    // `label -f secret.yaml a=b`: the objects come from the file, so every word is an assignment, not a type.
    extraArgs = positionals;
  } else if (RESOURCE_VERBS.has(group) && !(verb === 'rollout' && commandPath.length < 2)) {
    ({ targets, extra: extraArgs } = readTargets(positionals, leaf, problems));
  } else if (POD_VERBS.has(verb) && positionals.length > 0) {
    const [first, ...rest] = positionals;
    const slash = first.indexOf('/');
    targets = [slash >= 0 ? { resource: resolveResource(first.slice(0, slash)).name, name: first.slice(slash + 1) } : { resource: 'pods', name: first }];
    extraArgs = rest;
  } else if (NODE_VERBS.has(verb)) {
    // kubectl reads these through the resource builder, so "node/n1" and "nodes/n1" name node n1 (the blast radius
    // must read that node's pods, not look for a node called "node/n1").
    targets = positionals.map((word) => {
      const slash = word.indexOf('/');
      return slash >= 0 ? { resource: resolveResource(word.slice(0, slash)).name, name: word.slice(slash + 1) } : { resource: 'nodes', name: word };
    });
    if (targets.length === 0) targets = [{ resource: 'nodes' }];
  } else if (verb === 'top' && commandPath[1]) {
    const resource = commandPath[1] === 'node' ? 'nodes' : 'pods';
    targets = positionals.length ? positionals.map((name) => ({ resource, name })) : [{ resource }];
  } else if (verb === 'certificate' && commandPath[1]) {
    targets = positionals.map((name) => ({ resource: 'certificatesigningrequests', name }));
  } else if (verb === 'create' && commandPath[1]) {
    const resource = CREATE_RESOURCES[commandPath[1]] ?? commandPath[1];
    targets = [{ resource, name: positionals[0] }];
    extraArgs = positionals.slice(1);
  } else if (verb === 'run') {
    targets = positionals.length ? [{ resource: 'pods', name: positionals[0] }] : [];
    extraArgs = positionals.slice(1);
  } else if (verb === 'cp') {
    for (const word of positionals) {
      const remote = /^(?:([^/:]+)\/)?([^/:]+):/.exec(word);
      if (remote) targets.push({ resource: 'pods', name: remote[2] });
      extraArgs.push(word);
    }
  } else {
    extraArgs = positionals;
  }
  if (verb === 'events') {
    const forTarget = asString(lastValue(flags, 'for'));
    if (forTarget) {
      const slash = forTarget.indexOf('/');
      targets = [slash >= 0 ? { resource: resolveResource(forTarget.slice(0, slash)).name, name: forTarget.slice(slash + 1) } : { resource: 'pods', name: forTarget }];
    }
  }

  // Names are identifiers: a look-alike letter inside quotes must not pass as a different object or type.
  for (const t of targets) {
    if (!isAsciiPrintable(t.resource) || (t.name !== undefined && !isAsciiPrintable(t.name))) {
      problems.push(`non-ASCII character in a resource type or name ("${t.resource}${t.name ? `/${t.name}` : ''}")`);
    }
  }
  // After "--" a word like "--kubeconfig=/x" is an argument, not a flag: a name shaped like a flag is an evasion attempt.
  for (const t of targets) if (t.resource.startsWith('-') || t.name?.startsWith('-')) problems.push(`a resource type or name starts with "-" ("${t.name ?? t.resource}")`);
  for (const f of flags) if (!isAsciiPrintable(f.name)) problems.push(`non-ASCII character in a flag name (${f.raw})`);
  for (const word of commandPath) if (!isAsciiPrintable(word)) problems.push(`non-ASCII character in the verb ("${word}")`);

  const namespace = asString(lastValue(flags, 'namespace'));
  if (lastValue(flags, 'namespace') !== undefined && (namespace === undefined || !DNS_LABEL.test(namespace))) {
    problems.push(`namespace "${String(namespace ?? '')}" is not a valid namespace name`);
  }
  // cp names its pod as "ns/pod:path": that namespace is a target too.
  if (verb === 'cp') {
    for (const word of positionals) {
      const remote = /^([^/:]+)\/[^/:]+:/.exec(word);
      if (remote && !DNS_LABEL.test(remote[1])) problems.push(`namespace "${remote[1]}" is not a valid namespace name`);
    }
  }

  const record: Record<string, string | boolean> = {};
  for (const f of flags) record[f.name] = f.value;
  const replicasRaw = asString(lastValue(flags, 'replicas'));
  const replicas = replicasRaw === undefined ? undefined : Number(replicasRaw);
  if (replicasRaw !== undefined && (!Number.isInteger(replicas) || replicasRaw.trim() === '')) problems.push(`--replicas "${replicasRaw}" is not a whole number`);
  const patchBody = asString(lastValue(flags, 'patch'));
  const patch = patchBody !== undefined ? analysePatch(patchBody, asString(lastValue(flags, 'type'))) : undefined;
  const dryRunFlag = lastValue(flags, 'dry-run');

  return {
    args,
    verb,
    subVerb: commandPath[1],
    commandPath,
    knownCommand: split.knownCommand,
    resource: targets[0]?.resource,
    // A category counts as every type in it, so rules about namespaces, CRDs or webhooks see through "api-extensions".
    resources: [...new Set(targets.flatMap((t) => [t.resource, ...(CATEGORIES[t.resource] ?? [])]))],
    names: [...new Set(targets.flatMap((t) => (t.name !== undefined ? [t.name] : [])))],
    targets,
    extraArgs,
    afterDash,
    namespace,
    allNamespaces: truthy(lastValue(flags, 'all-namespaces')),
    all: truthy(lastValue(flags, 'all')),
    selector: asString(lastValue(flags, 'selector')),
    fieldSelector: asString(lastValue(flags, 'field-selector')),
    flags: record,
    flagList: flags,
    // Names only: an unknown flag's value could be a secret (--tokn=…), and reasons end up in the audit trail.
    unknownFlags: flags.filter((f) => !f.known).map((f) => (f.raw.startsWith('--') ? `--${f.name}` : `-${f.name}`)),
    filenames: flags.filter((f) => f.name === 'filename').map((f) => String(f.value)),
    kustomize: asString(lastValue(flags, 'kustomize')),
    output: asString(lastValue(flags, 'output')),
    replicas: Number.isInteger(replicas) ? replicas : undefined,
    patch,
    dryRun: dryRunFlag === true ? 'client' : asString(dryRunFlag),
    problems,
  };
}
