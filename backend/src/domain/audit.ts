/** Every step of an incident's handling; the audit trail is append-only. */
export type AuditEventType =
  | 'incident.received'
  | 'incident.lifecycle'
  | 'proposal'
  | 'risk'
  | 'decision'
  | 'plan.preview'
  | 'approval.requested'
  | 'approval.granted'
  | 'approval.denied'
  | 'approval.expired'
  /** A pending approval withdrawn by the agent (its incident was resolved in PagerDuty). */
  | 'approval.cancelled'
  | 'execution'
  | 'execution.refused'
  /** A retry found this action in the action ledger and said what it will do about it (verify, roll back, re-run once, escalate). */
  | 'execution.resumed'
  | 'verification'
  | 'rollback'
  | 'escalation'
  | 'incident.outcome'
  | 'breaker.transition'
  | 'killswitch'
  | 'pagerduty.writeback'
  /** One MCP tool call: the client (from the handshake), the transport, the tool, and whether it failed. */
  | 'mcp.call'
  | 'error';

export interface AuditEvent {
  /** ISO timestamp. */
  ts: string;
  type: AuditEventType;
  incidentId?: string;
  /** Who did it: "agent", "runbook", "claude", or a human's name/email for approvals. */
  actor: string;
  /** Structured detail; redacted before any sink writes it. */
  data: Record<string, unknown>;
  /** The object acted on, when there is one (for the Kubernetes Event sink). */
  target?: ObjectRef;
}

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
  apiVersion?: string;
  /** When known: lets the Kubernetes Event point at this exact object, not a later one with the same name. */
  uid?: string;
}
