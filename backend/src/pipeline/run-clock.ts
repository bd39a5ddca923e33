// Watches one run's audit records on their way to the trail, to time the run from `incident.received` without the
// stages keeping clocks of their own: the first mode decision, the first write, the last verified write.
import type { AuditEvent } from '../domain/audit.js';
import type { AuditSink } from '../domain/ports.js';
import type { OutcomeTimings } from '../domain/outcome.js';

export interface RunClock {
  /** Pass this sink to the stages of the run; it forwards every record unchanged. */
  sink: AuditSink;
  timings(now: number): OutcomeTimings;
}

export function startRunClock(inner: AuditSink, receivedAt: number, now: () => number): RunClock {
  let decisionAt: number | undefined;
  let firstWriteAt: number | undefined;
  let verifiedAt: number | undefined;
  const observe = (event: AuditEvent) => {
    const at = now();
    if (event.type === 'decision' || event.type === 'plan.preview' || event.type === 'approval.requested') decisionAt ??= at;
    if (event.type === 'execution' && event.data.readOnly !== true) {
      // The record is written once the command returned: the write started its duration earlier.
      const durationMs = typeof event.data.durationMs === 'number' ? event.data.durationMs : 0;
      firstWriteAt ??= Math.max(receivedAt, at - durationMs);
    }
    if (event.type === 'verification' && event.data.status === 'verified' && event.data.retry !== true) verifiedAt = at;
  };
  return {
    sink: {
      async write(event) {
        observe(event);
        await inner.write(event);
      },
    },
    timings(at) {
      const since = (t: number | undefined) => (t === undefined ? undefined : Math.max(0, t - receivedAt));
      return {
        receivedAt: new Date(receivedAt).toISOString(),
        toDecisionMs: since(decisionAt),
        toFirstWriteMs: since(firstWriteAt),
        toVerifiedFixMs: since(verifiedAt),
        totalMs: Math.max(0, at - receivedAt),
      };
    },
  };
}
