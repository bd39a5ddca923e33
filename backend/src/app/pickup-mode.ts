// The mode that decides whether the agent acknowledges an incident when it picks it up (ACK_ON_PICKUP's default:
// yes unless plan mode). The execute stage resolves the real mode from the diagnosed target's namespace, which is
// not known yet at pickup; here the namespaces the alert itself names stand in for it.
import type { ExecutionMode } from '../domain/decision.js';
import type { Incident } from '../domain/incident.js';
import { extractTargetCandidates } from '../diagnose/target-candidates.js';
import { resolveMode, type ModeOverride } from '../execute/resolve-mode.js';

const STRICTNESS: Record<ExecutionMode, number> = { yolo: 0, approval: 1, plan: 2 };

/**
 * EXECUTION_MODE with the service's override and the override of every namespace the alert names (title, and the
 * details the webhook carried), the strictest winning: when the alert could be about a namespace forced to plan mode,
 * the agent does not acknowledge, so PagerDuty keeps escalating to a person. An alert that names no namespace gets
 * the service's mode: diagnosis may still resolve it to a plan-mode namespace (from the alert's details, fetched
 * later, or the cluster), and waiting for that would delay every acknowledgement by a diagnosis.
 */
export function resolvePickupMode(base: ExecutionMode, overrides: readonly ModeOverride[], incident: Pick<Incident, 'title' | 'details' | 'serviceId'>): ExecutionMode {
  const namespaces = new Set(extractTargetCandidates(incident).map((c) => c.namespace).filter((ns): ns is string => Boolean(ns)));
  const modes = [resolveMode(base, overrides, { serviceId: incident.serviceId }), ...[...namespaces].map((namespace) => resolveMode(base, overrides, { namespace, serviceId: incident.serviceId }))];
  return modes.reduce((a, b) => (STRICTNESS[a] >= STRICTNESS[b] ? a : b));
}
