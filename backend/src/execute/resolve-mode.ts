import type { ExecutionMode } from '../domain/decision.js';
import { DEFAULT_PROTECTED_NAMESPACES } from '../risk/score.js';

export interface ModeOverride {
  scope: 'namespace' | 'service';
  key: string;
  mode: ExecutionMode;
}

const STRICTNESS: Record<ExecutionMode, number> = { yolo: 0, approval: 1, plan: 2 };

/**
 * The effective mode for an incident: EXECUTION_MODE, unless MODE_OVERRIDES names its namespace or PagerDuty service.
 * When several overrides match, the strictest wins (plan > approval > yolo), so an override can never be used to
 * loosen a stricter one that also applies.
 */
export function resolveMode(base: ExecutionMode, overrides: readonly ModeOverride[], where: { namespace?: string; serviceId?: string }): ExecutionMode {
  const matching = overrides.filter(
    (o) => (o.scope === 'namespace' && o.key === where.namespace) || (o.scope === 'service' && o.key === where.serviceId),
  );
  if (matching.length === 0) return base;
  return matching.map((o) => o.mode).reduce((a, b) => (STRICTNESS[a] >= STRICTNESS[b] ? a : b));
}

/** Namespaces that always need a human: the system ones (risk/score.ts) plus PROTECTED_NAMESPACES. */
export function isProtectedNamespace(namespace: string | undefined, allNamespaces: boolean, extra: readonly string[]): boolean {
  if (allNamespaces) return true; // "-A" includes kube-system
  if (!namespace) return false;
  const ns = namespace.toLowerCase();
  return (DEFAULT_PROTECTED_NAMESPACES as readonly string[]).includes(ns) || extra.map((e) => e.toLowerCase()).includes(ns);
}
