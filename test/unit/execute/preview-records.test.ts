import { describe, expect, it } from 'vitest';
import { previewRecords, renderPreview, type PlanPreview } from '../../../backend/src/execute/render-preview.js';
import { createLogger, isPrettyLogger } from '../../../backend/src/observability/logger.js';

const preview: PlanPreview = {
  incidentId: 'P1',
  title: 'web down',
  mode: 'plan',
  analyzer: 'runbook',
  target: 'shop deployment/web',
  rootCause: 'bad rollout',
  confidence: 0.9,
  escalate: { required: false },
  items: [
    {
      index: 0,
      command: 'kubectl rollout undo deployment/web -n shop',
      confidence: 0.9,
      description: 'roll back',
      level: 'medium',
      reasons: ['rollout undo: medium by default'],
      decision: { kind: 'preview', mode: 'plan', reason: 'plan mode, nothing runs', wouldBe: 'execute' },
      dryRun: { ran: true, command: 'kubectl rollout undo deployment/web -n shop --dry-run=server', exitCode: 0, changes: ['a', 'b', 'c', 'd'] },
      postconditions: ['rollout of web complete'],
    },
    {
      index: 1,
      command: 'kubectl rollout restart deployment/web -n shop',
      confidence: 0.9,
      description: '',
      level: 'medium',
      reasons: [],
      decision: { kind: 'preview', mode: 'plan', reason: 'plan mode', wouldBe: 'approval' },
      dryRun: { ran: false, reason: 'no server-side dry run for rollout restart' },
      postconditions: [],
    },
  ],
};

describe('plan-mode previews in both log formats', () => {
  it('JSON: a header and one record per command with risk, decision, reasons and the dry-run summary', () => {
    const { header, commands } = previewRecords(preview);
    expect(header).toMatchObject({ incidentId: 'P1', rootCause: 'bad rollout', commands: 2 });
    expect(header).not.toHaveProperty('items');
    expect(commands[0]).toEqual({
      incidentId: 'P1',
      index: 0,
      command: 'kubectl rollout undo deployment/web -n shop',
      risk: 'medium',
      reasons: ['rollout undo: medium by default'],
      decision: 'preview',
      wouldBe: 'execute',
      decisionReason: 'plan mode, nothing runs',
      confidence: 0.9,
      dryRun: { ran: true, exitCode: 0, changes: ['a', 'b', 'c', 'd'], summary: 'would change 4 field(s): a; b; c; …' },
      verify: ['rollout of web complete'],
    });
    expect(commands[1].dryRun).toEqual({ ran: false, summary: 'not run: no server-side dry run for rollout restart' });
  });

  it('pretty: the text block, which names every command and its decision', () => {
    const text = renderPreview(preview);
    expect(text).toMatch(/^PLAN PREVIEW — incident P1/);
    expect(text).toContain('1. kubectl rollout undo deployment/web -n shop');
    expect(text).toContain('decision: preview (yolo would approval)');
  });

  it('knows a logger\'s format, children included', () => {
    const json = createLogger('silent', { format: 'json', destination: process.stderr });
    expect(isPrettyLogger(json)).toBe(false);
    expect(isPrettyLogger(json.child({ a: 1 }))).toBe(false);
    const pretty = createLogger('silent', { format: 'pretty' });
    expect(isPrettyLogger(pretty)).toBe(true);
    expect(isPrettyLogger(pretty.child({ incidentId: 'P1' }).child({ jobId: 'j' }))).toBe(true);
  });
});
