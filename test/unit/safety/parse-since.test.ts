import { describe, expect, it } from 'vitest';
import { formatAuditLine, parseSince } from '../../../backend/src/cli/format-safety.js';
import { InvalidInputError } from '../../../backend/src/domain/errors.js';

const now = Date.parse('2026-11-21T12:00:00Z');

describe('parseSince', () => {
  it.each([
    ['30s', now - 30_000],
    ['15m', now - 900_000],
    ['2h', now - 7_200_000],
    ['7d', now - 604_800_000],
    ['2026-11-21T10:00:00Z', Date.parse('2026-11-21T10:00:00Z')],
    ['2026-11-20', Date.parse('2026-11-20')],
  ])('%s', (input, expected) => {
    expect(parseSince(input, now)).toBe(expected);
  });

  it.each(['yesterday', '10', '-5m', '5w', ''])('rejects %j', (input) => {
    expect(() => parseSince(input, now)).toThrow(InvalidInputError);
  });
});

describe('formatAuditLine', () => {
  it('shows the time, type, incident, actor, target and the key fields on one line', () => {
    const line = formatAuditLine({
      ts: '2026-11-21T12:00:00.000Z',
      type: 'execution',
      incidentId: 'INC1',
      actor: 'agent',
      target: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      data: { command: 'kubectl rollout undo deployment/web -n shop', exitCode: 0, stdout: 'a\nb' },
    });
    expect(line).toContain('execution');
    expect(line).toContain('INC1');
    expect(line).toContain('Deployment/shop/web');
    expect(line).toContain('kubectl rollout undo deployment/web -n shop');
    expect(line).toContain('exitCode=0');
    expect(line).not.toContain('\n');
  });
});
