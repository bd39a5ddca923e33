import type { AuditEvent } from '../../../backend/src/domain/audit.js';

/** Credentials that must never reach a sink, and events that carry them in every shape the pipeline produces. */
export const SECRETS = {
  bearer: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA',
  password: 'hunter2-s3cr3t-pw',
  token: 'tok-4f9c2e1d8b7a6f5e',
};

export function secretBearingEvent(incidentId = 'INC-SECRET'): AuditEvent {
  return {
    ts: new Date().toISOString(),
    type: 'execution',
    incidentId,
    actor: 'agent',
    target: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    data: {
      command: 'kubectl rollout undo deployment/web -n shop',
      exitCode: 0,
      durationMs: 812,
      stdout: `deployment.apps/web rolled back\ncurl -H "Authorization: Bearer ${SECRETS.bearer}" http://api`,
      stderr: `DB_PASSWORD=${SECRETS.password}`,
      env: { password: SECRETS.password, apiToken: SECRETS.token },
      reason: `header Authorization: Bearer ${SECRETS.bearer}`,
    },
  };
}

export function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return { ts: new Date().toISOString(), type: 'decision', incidentId: 'INC1', actor: 'agent', data: { decision: 'execute' }, ...overrides };
}

export function expectNoSecrets(text: string): string[] {
  return Object.values(SECRETS).filter((s) => text.includes(s));
}
