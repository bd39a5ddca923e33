import { Option, type Command } from 'commander';
import { InvalidInputError } from '../domain/errors.js';
import type { IncidentOutcome } from '../domain/outcome.js';
import { describeOutcome } from '../pipeline/build-outcome.js';
import { createActionLedger } from '../ledger/create-action-ledger.js';
import { formatAuditLine, parseSince } from './format-safety.js';
import { formatLedgerEntry, summarizeLedgerEntry } from './format-ledger.js';
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
        if (options.incident) await printLedger(ctx.config, options.incident, options.json === true);
      });
    });
}

/** The incident's action ledger after its records: what each write intended, returned, verified and rolled back. */
async function printLedger(config: Parameters<typeof createActionLedger>[0], incidentId: string, json: boolean): Promise<void> {
  const ledger = createActionLedger(config);
  try {
    const entries = await ledger.listIncident(incidentId);
    if (json) for (const e of entries) console.log(JSON.stringify(summarizeLedgerEntry(e)));
    else if (entries.length) console.log(`\n${entries.map(formatLedgerEntry).join('\n')}`);
  } catch (error) {
    console.error(`oncall-agent: warning: cannot read the action ledger: ${(error as Error).message}`);
  } finally {
    await ledger.close();
  }
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidInputError(`--limit expects a whole number ≥ 1, got "${value}"`);
  return n;
}
