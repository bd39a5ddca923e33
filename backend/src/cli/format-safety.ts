// Pure text formatting and parsing for the safety CLI commands.

import type { AuditEvent } from '../domain/audit.js';
import { InvalidInputError } from '../domain/errors.js';
import type { BreakerState, PendingApproval } from '../safety/safety-store.js';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "--since 30m" / "2h" / "7d" / an ISO timestamp → ms epoch. */
export function parseSince(value: string, now: number): number {
  const trimmed = value.trim();
  const relative = /^(\d+)\s*([smhd])$/i.exec(trimmed);
  if (relative) return now - Number(relative[1]) * UNITS[relative[2].toLowerCase()];
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    const at = Date.parse(trimmed);
    if (Number.isFinite(at)) return at;
  }
  throw new InvalidInputError(`--since "${value}" is neither a duration (30s, 15m, 2h, 7d) nor an ISO time (2026-11-21T10:00:00Z)`);
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

export function formatBreaker(b: BreakerState, openMs: number, now: number): string {
  switch (b.state) {
    case 'closed':
      return `${b.scope}: closed (${b.consecutiveFailures} consecutive failure${b.consecutiveFailures === 1 ? '' : 's'})`;
    case 'open':
      return `${b.scope}: OPEN since ${formatAge(now - (b.openedAt ?? now))} ago; half-opens in ${formatAge((b.openedAt ?? now) + openMs - now)} (no automatic execution)`;
    case 'half-open':
      return `${b.scope}: HALF-OPEN (${b.consecutiveSuccesses} trial success${b.consecutiveSuccesses === 1 ? '' : 'es'}; trial ${b.trialInFlight ? 'in flight' : 'available'})`;
  }
}

export function formatApproval(a: PendingApproval, now: number): string {
  const when =
    a.status === 'pending'
      ? `expires in ${formatAge(a.expiresAt - now)}`
      : `${a.status}${a.decidedBy ? ` by ${a.decidedBy}` : ''}${a.reason ? ` (${a.reason})` : ''}`;
  const lines = [`${a.id}  incident ${a.incidentId}  ${a.status.toUpperCase()}  created ${formatAge(now - a.createdAt)} ago, ${when}`, `  plan hash ${a.planHash}`];
  a.commands.forEach((c, i) => lines.push(`  ${i + 1}. ${c}`));
  if (a.status === 'pending') lines.push(`  approve: oncall-agent approve ${a.id} --plan-hash ${a.planHash}`, `  deny:    oncall-agent deny ${a.id} --reason "…"`);
  return lines.join('\n');
}

/** One readable line per audit record: time, type, incident, actor, and the fields a person scans for. */
export function formatAuditLine(e: AuditEvent): string {
  const d = e.data ?? {};
  const bits: string[] = [];
  for (const key of ['command', 'decision', 'level', 'exitCode', 'durationMs', 'verdict', 'status', 'approvalId', 'paused', 'from', 'to', 'reason', 'detail']) {
    const value = d[key];
    if (value === undefined || value === null || value === '') continue;
    const shown = typeof value === 'object' ? ((value as { kind?: string; status?: string }).kind ?? (value as { status?: string }).status ?? JSON.stringify(value)) : String(value);
    bits.push(key === 'command' ? shown : `${key}=${shown}`);
  }
  const target = e.target ? ` ${e.target.kind}/${e.target.namespace ? `${e.target.namespace}/` : ''}${e.target.name}` : '';
  const line = `${e.ts}  ${e.type.padEnd(18)} ${(e.incidentId ?? '-').padEnd(14)} ${e.actor}${target}  ${bits.join('  ')}`;
  return line.replace(/\s*\n\s*/g, ' ⏎ ');
}
