import type { ObjectRef } from '../domain/audit.js';
import type { Target } from '../domain/incident.js';
import type { ParsedCommand } from '../domain/risk.js';
import { apiVersionOf, resourceType, resourceTypeOfKind } from '../kube/resource-types.js';

/** The one object a command acts on, when it names exactly one. */
export interface CommandTarget {
  /** Canonical plural lower-case resource ("deployments"). */
  resource: string;
  name: string;
  namespace?: string;
  ref: ObjectRef;
}

/** The object an incident resolved to (the diagnosis target), as an audit ref; undefined without kind and name. */
export function refOfIncidentTarget(target: Target | undefined): ObjectRef | undefined {
  if (!target?.kind || !target.name) return undefined;
  const type = resourceTypeOfKind(target.kind);
  return { kind: target.kind, name: target.name, ...(type?.namespaced === false ? {} : { namespace: target.namespace }), ...(type ? { apiVersion: apiVersionOf(type) } : {}) };
}

/** Node verbs name the node without a resource word ("kubectl cordon n1"). */
const NODE_VERBS = ['cordon', 'uncordon', 'drain', 'taint'];

/** The single named target of a parsed command, or undefined for selector-wide / nameless commands. */
export function targetOf(parsed: ParsedCommand | undefined): CommandTarget | undefined {
  if (!parsed) return undefined;
  const resource = parsed.resource ?? (NODE_VERBS.includes(parsed.verb) ? 'nodes' : undefined);
  if (!resource || parsed.names.length !== 1 || parsed.all || parsed.allNamespaces || parsed.selector) return undefined;
  const known = resourceType(resource);
  const namespace = known && !known.namespaced ? undefined : parsed.namespace;
  return {
    resource,
    name: parsed.names[0],
    namespace,
    ref: { kind: known?.kind ?? resource, name: parsed.names[0], ...(namespace ? { namespace } : {}), ...(known ? { apiVersion: apiVersionOf(known) } : {}) },
  };
}

/** Every object a command names when it names several of one resource ("scale deployment web api"); [] otherwise. */
export function namedTargetsOf(parsed: ParsedCommand | undefined): CommandTarget[] {
  if (!parsed || parsed.names.length < 2) return [];
  // "deployment/web statefulset/db": the parse keeps one resource, so the names cannot be trusted to be of it.
  const types = new Set(parsed.args.filter((a) => !a.startsWith('-') && /^[A-Za-z.]+\/[^/=]+$/.test(a)).map((a) => a.split('/')[0].toLowerCase()));
  if (types.size > 1) return [];
  return parsed.names.flatMap((name) => targetOf({ ...parsed, names: [name] }) ?? []);
}

/** Lock / cooldown key: one per object per cluster. */
export function targetKey(cluster: string, target: CommandTarget | undefined, command: string): string {
  if (!target) return `${cluster}/command/${command}`;
  return objectKey(cluster, target.resource, target.namespace, target.name);
}

/** The lock / cooldown key of one object (resource is the plural, as kubectl resolves it: "deployments"). */
export function objectKey(cluster: string, resource: string, namespace: string | undefined, name: string): string {
  return `${cluster}/${namespace ?? '_cluster'}/${resource}/${name}`;
}

/** argv for `kubectl get` of the target, as JSON. */
export function getTargetArgv(target: CommandTarget): string[] {
  return ['get', target.resource, target.name, ...(target.namespace ? ['-n', target.namespace] : []), '-o', 'json'];
}
