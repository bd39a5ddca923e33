// Pure rendering of the approval page: pending approvals (commands, risk, dry-run, time left, Approve/Deny) and recent
// outcomes. Everything goes through `html`, which escapes every value; the page carries no script at all.
import type { PendingApproval } from '../../domain/approval.js';
import type { DryRunResult } from '../../domain/execution-report.js';
import type { IncidentOutcome } from '../../domain/outcome.js';
import { html, type SafeHtml } from './escape-html.js';

export interface PendingView {
  approval: PendingApproval;
  /** The awaiting_approval outcome of the run that asked for it (risk per command, root cause), when recorded. */
  outcome?: IncidentOutcome;
}

export interface DecisionView {
  approvalId: string;
  decision: 'approve' | 'deny';
  /** ran · approved · denied · refused · queued · failed */
  status: string;
  message?: string;
  outcome?: IncidentOutcome;
}

function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><title>${title}</title><link rel="stylesheet" href="/ui/approvals.css"></head>
<body><header><h1>oncall-agent</h1></header><main>${body}</main></body></html>`.value;
}

export function formatTimeLeft(ms: number): string {
  if (ms <= 0) return 'expired';
  const s = Math.round(ms / 1_000);
  return s < 90 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function renderLoginPage(error?: string): string {
  return layout(
    'Sign in · oncall-agent approvals',
    html`<h2>Approvals</h2>
<p>Sign in once with the agent's approval token (APPROVAL_TOKEN). The browser keeps a signed session, not the token.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/ui/login"><label>Approval token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">Sign in</button></form>`,
  );
}

function renderPending(view: PendingView, csrf: string, now: number): SafeHtml {
  const { approval, outcome } = view;
  const payload = (approval.payload ?? {}) as {
    title?: unknown;
    actions?: Array<{ index: number; action?: { description?: unknown; expectedEffect?: unknown } }>;
    dryRuns?: Array<{ index?: unknown } & DryRunResult>;
  };
  const title = typeof payload.title === 'string' ? payload.title : undefined;
  const rows = approval.commands.map((command, i) => {
    const scored = outcome?.commands.find((c) => c.command === command) ?? outcome?.commands[i];
    const action = payload.actions?.[i]?.action;
    const dryRun = Array.isArray(payload.dryRuns) ? payload.dryRuns.find((d) => d.index === payload.actions?.[i]?.index) : undefined;
    return html`<li><code class="command">${command}</code> <span class="risk risk-${scored?.risk ?? 'unknown'}">risk: ${scored?.risk ?? 'not recorded yet'}</span>
${action?.description ? html`<div class="why">${String(action.description)}</div>` : ''}${action?.expectedEffect ? html`<div class="effect">Expected: ${String(action.expectedEffect)}</div>` : ''}
${renderDryRun(dryRun)}</li>`;
  });
  const form = (decision: 'approve' | 'deny', label: string) =>
    html`<form method="post" action="/ui/approvals/${encodeURIComponent(approval.id)}/${decision}" class="decide">
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="planHash" value="${approval.planHash}">
${decision === 'deny' ? html`<input type="text" name="comment" placeholder="reason (optional)" maxlength="500">` : ''}
<button type="submit" class="${decision}">${label}</button></form>`;
  return html`<section class="approval" id="approval-${approval.id}">
<h3><span class="incident">${approval.incidentId}</span> <span class="alert-title">${title ?? '(no title)'}</span></h3>
<p class="meta">Approval <code>${approval.id}</code> · plan hash <code>${approval.planHash.slice(0, 16)}</code> · <span class="time-left">${formatTimeLeft(approval.expiresAt - now)} left</span> (expires ${new Date(approval.expiresAt).toISOString()})</p>
${outcome?.rootCause ? html`<p class="root-cause">Root cause (${outcome.analyzer ?? 'analyzer'}${outcome.confidence !== undefined ? `, confidence ${outcome.confidence}` : ''}): ${outcome.rootCause}</p>` : ''}
<ol class="commands">${rows}</ol>
<p class="dry-run-note">Each dry run was taken with <code>--dry-run=server</code> when the plan was made, against the cluster as it was then (a later command's dry run does not include an earlier one's change). The worker re-checks the plan hash, kill switch, breaker and risk against fresh cluster state before it runs.</p>
<div class="actions">${form('approve', 'Approve')}${form('deny', 'Deny')}</div>
</section>`;
}

/** What the server said the command would change, as recorded when the approval was requested. */
function renderDryRun(dryRun: DryRunResult | undefined): SafeHtml | '' {
  if (!dryRun || typeof dryRun !== 'object') return html`<div class="dry-run">Server-side dry run: not recorded with this plan.</div>`;
  if (!dryRun.ran) return html`<div class="dry-run">Server-side dry run: not run (${String(dryRun.reason ?? 'unsupported')}).</div>`;
  if (dryRun.exitCode !== 0) return html`<div class="dry-run dry-run-failed">Server-side dry run: the API server refused it (exit ${String(dryRun.exitCode)}): <code>${String(dryRun.output ?? '')}</code></div>`;
  const changes = Array.isArray(dryRun.changes) ? dryRun.changes.map(String) : undefined;
  if (changes && changes.length === 0) return html`<div class="dry-run">Server-side dry run: would change nothing.</div>`;
  if (changes) {
    return html`<div class="dry-run">Server-side dry run, what would change:<ul class="changes">${changes.slice(0, 20).map((c) => html`<li><code>${c}</code></li>`)}</ul>${changes.length > 20 ? html`<span>… ${changes.length - 20} more</span>` : ''}</div>`;
  }
  return html`<div class="dry-run">Server-side dry run: accepted${dryRun.output ? html` (<code>${String(dryRun.output)}</code>)` : ''}.</div>`;
}

function renderOutcomeRow(o: { ts: string; actor: string; outcome: IncidentOutcome }): SafeHtml {
  const first = o.outcome.commands[0];
  return html`<tr><td>${o.ts}</td><td>${o.outcome.incidentId}</td><td class="kind kind-${o.outcome.outcome}">${o.outcome.outcome}</td><td>${o.outcome.run}</td>
<td>${first ? html`<code>${first.command}</code>${o.outcome.commands.length > 1 ? ` (+${o.outcome.commands.length - 1})` : ''}` : '—'}</td><td>${o.outcome.reasons[0] ?? o.outcome.rootCause ?? ''}</td><td>${o.actor}</td></tr>`;
}

export function renderApprovalsPage(input: {
  pending: PendingView[];
  recent: Array<{ ts: string; actor: string; outcome: IncidentOutcome }>;
  csrf: string;
  now: number;
  outcomesNote?: string;
}): string {
  return layout(
    'Approvals · oncall-agent',
    html`<form method="post" action="/ui/logout" class="logout"><input type="hidden" name="csrf" value="${input.csrf}"><button type="submit">Sign out</button></form>
<h2>Pending approvals (${input.pending.length})</h2>
${input.pending.length === 0 ? html`<p class="empty">No plan is waiting for a decision.</p>` : input.pending.map((p) => renderPending(p, input.csrf, input.now))}
<h2>Recent outcomes</h2>
${input.outcomesNote ? html`<p class="note">${input.outcomesNote}</p>` : ''}
${input.recent.length === 0 ? html`<p class="empty">No outcomes recorded yet.</p>` : html`<table class="outcomes"><thead><tr><th>Time</th><th>Incident</th><th>Outcome</th><th>Run</th><th>Command</th><th>Why</th><th>By</th></tr></thead><tbody>${input.recent.map(renderOutcomeRow)}</tbody></table>`}`,
  );
}

export function renderDecisionPage(view: DecisionView): string {
  const o = view.outcome;
  return layout(
    `Decision on ${view.approvalId} · oncall-agent`,
    html`<h2>${view.decision === 'approve' ? 'Approve' : 'Deny'} <code>${view.approvalId}</code>: <span class="decision-status">${view.status}</span></h2>
${view.message ? html`<p class="message">${view.message}</p>` : ''}
${o ? html`<p class="result">Outcome: <strong class="outcome-kind kind-${o.outcome}">${o.outcome}</strong> (incident ${o.incidentId})</p>
<ol class="commands">${o.commands.map((c) => html`<li><code>${c.command}</code>: ${c.status}${c.verdict ? ` (verification: ${c.verdict})` : ''}<div class="why">${c.detail}</div></li>`)}</ol>
${o.reasons.length ? html`<ul class="reasons">${o.reasons.map((r) => html`<li>${r}</li>`)}</ul>` : ''}` : ''}
<p><a href="/ui/approvals">Back to approvals</a></p>`,
  );
}

export const APPROVALS_CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}header{background:#1b1f24;color:#fff;padding:.6em 1em}
header h1{font-size:1.1em;margin:0}main{max-width:60em;margin:0 auto;padding:1em}.approval{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:1em;margin:1em 0}
code{background:#eef0f3;padding:.1em .3em;border-radius:3px;word-break:break-all}.risk{font-weight:600}.risk-high,.risk-forbidden{color:#b00020}.risk-medium{color:#a15c00}.risk-low,.risk-read{color:#1b6e3a}
.actions{display:flex;gap:1em;flex-wrap:wrap}.decide{display:flex;gap:.5em}button{font-size:1em;padding:.4em 1.2em;border-radius:4px;border:1px solid #888;cursor:pointer}
button.approve{background:#1b6e3a;color:#fff}button.deny{background:#b00020;color:#fff}.logout{float:right}.error{color:#b00020}.dry-run,.meta,.why,.effect{color:#4a525c;font-size:.92em}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #d0d4da;padding:.3em .5em;text-align:left;vertical-align:top}.kind-fixed{color:#1b6e3a;font-weight:600}`;
