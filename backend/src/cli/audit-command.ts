import { Option, type Command } from 'commander';
import { InvalidInputError } from '../domain/errors.js';
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
      });
    });
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidInputError(`--limit expects a whole number ≥ 1, got "${value}"`);
  return n;
}
