import { Option, type Command } from 'commander';
import { InvalidInputError } from '../domain/errors.js';
import type { IncidentOutcome } from '../domain/outcome.js';
import { describeOutcome } from '../pipeline/build-outcome.js';
import { formatAuditLine, parseSince } from './format-safety.js';
import { withSafetyContext } from './safety-context.js';

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('Print the audit trail (from the Redis stream when REDIS_URL is set, else from AUDIT_JSONL_PATH), oldest first.')
    .option('--incident <id>', 'only this incident')
    .option('--since <when>', 'only records since a duration ago (30s, 15m, 2h, 7d) or an ISO time')
    .addOption(new Option('--limit <n>', 'only the newest n matching records').argParser(parsePositive))
    .option('--json', 'print JSON lines, one record per line')
    .action(async (options: { incident?: string; since?: string; limit?: number; json?: boolean }) => {
      await withSafetyContext(async (ctx) => {
        const sinceMs = options.since === undefined ? undefined : parseSince(options.since, ctx.now());
        const events = await ctx.reader.read({ incidentId: options.incident, sinceMs, limit: options.limit });
        for (const e of events) console.log(options.json ? JSON.stringify(e) : formatAuditLine(e));
        if (!options.json && events.length === 0) console.error('No audit records match.');
        // The ending is what a person looks for first: one plain line after the records, for the incident's last run.
        const ending = options.incident && !options.json ? events.filter((e) => e.type === 'incident.outcome').at(-1) : undefined;
        if (ending) console.log(`\nOUTCOME ${ending.incidentId}: ${describeOutcome(ending.data as unknown as IncidentOutcome)}`);
        else if (options.incident && !options.json && events.length > 0) console.log(`\nOUTCOME ${options.incident}: none recorded yet (still running, or handled before outcomes were recorded)`);
      });
    });
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidInputError(`--limit expects a whole number ≥ 1, got "${value}"`);
  return n;
}
