import type { ExecutionMode } from '../domain/decision.js';

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
