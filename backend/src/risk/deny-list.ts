import { ConfigError } from '../domain/errors.js';
import { isKnownCommand, resolveSubcommand } from './flag-table.js';
import type { ParsedKubectl } from './parse.js';
import { resolveResource } from '../kube/resource-types.js';

/**
 * DENY_COMMANDS entries, one per comma-separated item:
 *
 *     VERB [SUB-VERB] [TYPE[/NAME] | *] [in NAMESPACE]
 *
 * e.g. "drain", "rollout undo", "delete deployments", "scale statefulsets in payments", "delete pods/etcd-0 in db".
 * TYPE takes any spelling kubectl does (deploy, Deployment, deployments.apps). An entry is matched against the PARSED
 * command, never as a substring. Where the command could reach the denied object without naming it (objects from -f/-k,
 * --all, a selector, no -n, or -A), the entry matches: a deny list must not be escaped by being vague.
 */
export interface DenyRule {
  entry: string;
  verb: string;
  subVerb?: string;
  resource?: string;
  name?: string;
  namespace?: string;
}

/** Parses DENY_COMMANDS; throws ConfigError naming the bad entry. */
export function compileDenyList(entries: readonly string[]): DenyRule[] {
  return entries.map((entry) => {
    const fail = (why: string) => new ConfigError(`invalid configuration: DENY_COMMANDS entry "${entry}": ${why}`, 'use "VERB [SUB-VERB] [TYPE[/NAME]] [in NAMESPACE]", e.g. "delete deployments in payments"');
    if (!/^[\x20-\x7e]+$/.test(entry)) throw fail('only printable ASCII is allowed');
    const words = entry.trim().split(/\s+/).filter(Boolean);
    const rule: DenyRule = { entry, verb: words.shift() ?? '' };
    if (!isKnownCommand(rule.verb)) throw fail(`"${rule.verb}" is not a kubectl verb`);
    const sub = words[0] !== undefined ? resolveSubcommand(rule.verb, words[0]) : undefined;
    if (sub) {
      rule.subVerb = sub;
      words.shift();
    }
    const inAt = words.indexOf('in');
    if (inAt >= 0) {
      if (inAt !== words.length - 2) throw fail('"in" must be followed by exactly one namespace, at the end');
      rule.namespace = words[inAt + 1];
      words.splice(inAt, 2);
    }
    if (words.length > 1) throw fail(`unexpected "${words.slice(1).join(' ')}"`);
    if (words.length === 1 && words[0] !== '*') {
      const [type, name] = words[0].split('/', 2);
      rule.resource = resolveResource(type).name;
      if (name) rule.name = name;
    }
    return rule;
  });
}

/** The first deny rule the command matches, if any. */
export function matchDenyList(cmd: ParsedKubectl, rules: readonly DenyRule[]): DenyRule | undefined {
  const fromFiles = cmd.filenames.length > 0 || cmd.kustomize !== undefined;
  const broad = cmd.all || cmd.selector !== undefined || cmd.fieldSelector !== undefined;
  return rules.find((rule) => {
    if (rule.verb !== cmd.verb) return false;
    // `create -f cm.yaml` may create what "create configmap" denies: create's sub-verbs are object types, and a file
    // can hold any of them.
    const createFromFiles = rule.verb === 'create' && cmd.subVerb === undefined && fromFiles;
    if (rule.subVerb && rule.subVerb !== cmd.subVerb && !createFromFiles) return false;
    if (rule.resource) {
      const named = cmd.resources.includes(rule.resource);
      if (!named && !fromFiles) return false;
      if (rule.name) {
        const hit = cmd.targets.some((t) => t.resource === rule.resource && t.name === rule.name);
        const unnamed = cmd.targets.some((t) => (t.resource === rule.resource || t.resource === 'all' || t.resource === 'api-extensions') && t.name === undefined);
        if (!hit && !fromFiles && !broad && !unnamed) return false;
      }
    }
    if (rule.namespace && !cmd.allNamespaces && cmd.namespace !== undefined && cmd.namespace !== rule.namespace) return false;
    return true;
  });
}
