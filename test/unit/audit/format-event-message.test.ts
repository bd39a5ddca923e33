import { describe, expect, it } from 'vitest';
import { formatEventMessage } from '../../../backend/src/audit/format-event-message.js';
import type { AuditEvent } from '../../../backend/src/domain/audit.js';

const ev = (type: AuditEvent['type'], data: Record<string, unknown>, actor = 'agent'): AuditEvent => ({ ts: '2026-01-01T00:00:00Z', type, actor, data });

describe('formatEventMessage', () => {
  it.each([
    ['execution ok', ev('execution', { command: 'kubectl scale deploy/web --replicas=3', exitCode: 0, durationMs: 40 }), 'Normal', ['action: kubectl scale deploy/web --replicas=3', 'exit 0 in 40 ms']],
    ['execution failed', ev('execution', { command: 'kubectl rollout undo deploy/web', exitCode: 1 }), 'Warning', ['exit 1']],
    ['verification verified', ev('verification', { verdict: { status: 'verified', detail: 'rollout complete' } }), 'Normal', ['verdict: verified']],
    ['verification failed (string)', ev('verification', { verdict: 'failed', reason: '0/3 ready' }), 'Warning', ['verdict: failed', '0/3 ready']],
    // The shape the execute stage really writes (guarded-write.ts): the verdict flat, as status.
    ['verification as written by execute (verified)', ev('verification', { command: 'kubectl rollout undo deployment/web -n shop', status: 'verified', detail: 'rollout complete' }), 'Normal', ['action: kubectl rollout undo deployment/web -n shop', 'verdict: verified', 'rollout complete']],
    ['verification as written by execute (failed)', ev('verification', { command: 'kubectl scale deployment/web -n shop --replicas=3', status: 'failed', detail: '0/3 ready' }), 'Warning', ['verdict: failed', '0/3 ready']],
    ['escalation with reasons', ev('escalation', { mode: 'yolo', reasons: ['diagnosis: missing ConfigMap web-config', 'no action proposed'] }), 'Warning', ['oncall-agent escalation', 'diagnosis: missing ConfigMap web-config; no action proposed']],
    ['decision object', ev('decision', { decision: { kind: 'approval' }, reason: 'protected namespace' }), 'Normal', ['decision: approval', 'protected namespace']],
    ['approval granted', ev('approval.granted', { approvalId: 'apr-1' }, 'alice'), 'Normal', ['approval apr-1 by alice']],
    ['rollback', ev('rollback', { command: 'kubectl rollout undo deploy/web' }), 'Warning', ['oncall-agent rollback']],
    ['refused', ev('execution.refused', { reason: 'kill switch' }), 'Warning', ['kill switch']],
  ] as const)('%s', (_name, event, type, fragments) => {
    const out = formatEventMessage(event);
    expect(out.type).toBe(type);
    for (const f of fragments) expect(out.message).toContain(f);
  });

  it('caps the message and flattens whitespace', () => {
    const out = formatEventMessage(ev('execution', { command: `kubectl get pods\n${'x'.repeat(5000)}` }));
    expect(out.message.length).toBeLessThanOrEqual(1024);
    expect(out.message).not.toContain('\n');
  });
});
