// Pure: the plan-mode preview as one block an on-call engineer reads in the logs, and as a structured record.
import type { Decision, ExecutionMode } from '../domain/decision.js';
import type { Incident } from '../domain/incident.js';
import type { RemediationProposal } from '../domain/proposal.js';
import type { RiskLevel } from '../domain/risk.js';
import { redactValue } from '../redaction/redact.js';
import { describePostcondition } from '../verify/verify-postconditions.js';
import type { DryRunResult } from './dry-run.js';

export interface PreviewItem {
  index: number;
  command: string;
  confidence: number;
  description: string;
  level: RiskLevel;
  reasons: string[];
  decision: Decision;
  dryRun?: DryRunResult;
  postconditions: string[];
}

export interface PlanPreview {
  incidentId: string;
  title: string;
  mode: ExecutionMode;
  analyzer: string;
  target?: string;
  rootCause: string;
  confidence: number;
  escalate: { required: boolean; reason?: string };
  items: PreviewItem[];
}

export function buildPreviewItem(
  index: number,
  action: RemediationProposal['actions'][number],
  risk: { level: RiskLevel; reasons: string[] },
  decision: Decision,
  dryRun?: DryRunResult,
): PreviewItem {
  return {
    index,
    command: action.command,
    confidence: action.confidence,
    description: action.description,
    level: risk.level,
    reasons: risk.reasons,
    decision,
    dryRun,
    postconditions: action.postconditions.map(describePostcondition),
  };
}

export function buildPlanPreview(incident: Pick<Incident, 'id' | 'title'>, proposal: RemediationProposal, items: PreviewItem[]): PlanPreview {
  const t = proposal.target;
  // The preview is logged and printed: the alert title, root cause and model text are untrusted and may carry credentials.
  return redactValue({
    incidentId: incident.id,
    title: incident.title,
    mode: 'plan',
    analyzer: proposal.analyzer,
    target: t ? `${t.namespace}${t.kind ? ` ${t.kind.toLowerCase()}` : ''}${t.name ? `/${t.name}` : ''}` : undefined,
    rootCause: proposal.rootCause,
    confidence: proposal.confidence,
    escalate: proposal.escalate,
    items,
  });
}

const oneLine = (text: string, max = 200) => text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e\u00a0-\uffff]/g, '?').slice(0, max);

/** The readable block. Untrusted text (title, root cause, descriptions) is flattened to single lines. */
export function renderPreview(preview: PlanPreview): string {
  const lines: string[] = [];
  lines.push(`PLAN PREVIEW — incident ${oneLine(preview.incidentId, 60)}: ${oneLine(preview.title)}`);
  lines.push(`  nothing was executed (plan mode); analyzer ${preview.analyzer}${preview.target ? `, target ${oneLine(preview.target, 120)}` : ''}`);
  lines.push(`  root cause (confidence ${preview.confidence.toFixed(2)}): ${oneLine(preview.rootCause, 400)}`);
  if (preview.escalate.required) lines.push(`  escalate to a human: ${oneLine(preview.escalate.reason ?? 'no safe automatic fix')}`);
  if (preview.items.length === 0) lines.push('  no actions proposed');
  for (const item of preview.items) {
    lines.push(`  ${item.index + 1}. ${oneLine(item.command, 400)}`);
    if (item.description) lines.push(`     why: ${oneLine(item.description)}`);
    lines.push(`     risk: ${item.level.toUpperCase()}${item.reasons.length ? ` — ${oneLine(item.reasons.join('; '), 300)}` : ''}`);
    lines.push(`     decision: ${item.decision.kind}${item.decision.wouldBe ? ` (yolo would ${item.decision.wouldBe})` : ''}, confidence ${item.confidence.toFixed(2)} — ${oneLine(item.decision.reason, 300)}`);
    lines.push(...renderDryRun(item.dryRun));
    lines.push(`     verify: ${item.postconditions.length ? item.postconditions.join('; ') : 'none'}`);
  }
  return lines.join('\n');
}

function renderDryRun(dryRun: DryRunResult | undefined): string[] {
  if (!dryRun) return ['     dry run: not run'];
  if (!dryRun.ran) return [`     dry run: not run — ${oneLine(dryRun.reason ?? 'unsupported')}`];
  const head = `     dry run: ${oneLine(dryRun.command ?? '', 300)} → exit ${dryRun.exitCode}`;
  if (dryRun.changes) {
    if (dryRun.changes.length === 0) return [head, '       would change nothing'];
    return [head, ...dryRun.changes.slice(0, 20).map((c) => `       ${oneLine(c, 240)}`), ...(dryRun.changes.length > 20 ? [`       … ${dryRun.changes.length - 20} more`] : [])];
  }
  return [head, ...(dryRun.output ? dryRun.output.split('\n').slice(0, 5).map((l) => `       ${oneLine(l, 240)}`) : [])];
}

/** One plan-mode command as a structured log record: what it is, its risk, the decision and the dry run's summary. */
export interface PreviewCommandRecord {
  incidentId: string;
  index: number;
  command: string;
  risk: RiskLevel;
  reasons: string[];
  decision: Decision['kind'];
  wouldBe?: Decision['kind'];
  decisionReason: string;
  confidence: number;
  dryRun: { ran: boolean; exitCode?: number; changes?: string[]; summary: string };
  verify: string[];
}

/** Pure: the preview as a header record and one record per command, for JSON logs. */
export function previewRecords(preview: PlanPreview): { header: Omit<PlanPreview, 'items'> & { commands: number }; commands: PreviewCommandRecord[] } {
  const { items, ...header } = preview;
  return {
    header: { ...header, commands: items.length },
    commands: items.map((item) => ({
      incidentId: preview.incidentId,
      index: item.index,
      command: item.command,
      risk: item.level,
      reasons: item.reasons,
      decision: item.decision.kind,
      ...(item.decision.wouldBe ? { wouldBe: item.decision.wouldBe } : {}),
      decisionReason: item.decision.reason,
      confidence: item.confidence,
      dryRun: summarizeDryRun(item.dryRun),
      verify: item.postconditions,
    })),
  };
}

function summarizeDryRun(dryRun: DryRunResult | undefined): PreviewCommandRecord['dryRun'] {
  if (!dryRun) return { ran: false, summary: 'not run' };
  if (!dryRun.ran) return { ran: false, summary: `not run: ${oneLine(dryRun.reason ?? 'unsupported')}` };
  const changes = dryRun.changes?.slice(0, 20).map((c) => oneLine(c, 240));
  const summary = dryRun.changes
    ? dryRun.changes.length === 0
      ? 'would change nothing'
      : `would change ${dryRun.changes.length} field(s): ${changes!.slice(0, 3).join('; ')}${dryRun.changes.length > 3 ? '; …' : ''}`
    : `exit ${dryRun.exitCode}${dryRun.output ? `: ${oneLine(dryRun.output, 200)}` : ''}`;
  return { ran: true, exitCode: dryRun.exitCode, ...(changes ? { changes } : {}), summary };
}
