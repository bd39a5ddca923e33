import type { AuditEvent } from '../domain/audit.js';
import type { AuditSink, ClusterEventWriter } from '../domain/ports.js';
import { formatEventMessage, KUBE_EVENT_TYPES } from './format-event-message.js';
import { redactAuditEvent } from './redact-event.js';

/** The reason every agent Event carries, so `kubectl get events --field-selector reason=AgentRemediation` finds them. */
export const AGENT_EVENT_REASON = 'AgentRemediation';

/** Writes a core/v1 Event on the target object for the steps in KUBE_EVENT_TYPES; other events are skipped. */
export class KubeEventAuditSink implements AuditSink {
  constructor(private readonly writer: ClusterEventWriter) {}

  async write(event: AuditEvent): Promise<void> {
    if (!event.target || !KUBE_EVENT_TYPES.has(event.type)) return;
    // Plan mode never changes the cluster, and an Event is a cluster object: plan-mode records stay in the other sinks.
    if (event.data.mode === 'plan') return;
    const safe = redactAuditEvent(event);
    const { message, type } = formatEventMessage(safe);
    await this.writer.recordEvent(safe.target!, AGENT_EVENT_REASON, message, type);
  }
}
