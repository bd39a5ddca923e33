import type { Command } from 'commander';
import { expireApprovals } from '../safety/approvals.js';
import { createApprovalsHttpClient } from './approvals-http-client.js';
import { formatApproval } from './format-safety.js';
import { requireSharedStore, withSafetyContext } from './safety-context.js';

export function registerApprovalsCommand(program: Command): void {
  program
    .command('approvals')
    .description('List plans waiting for a human decision, with the plan hash to pass to `oncall-agent approve`.')
    .option('--all', 'include approved, denied, expired and cancelled ones (kept 7 days)')
    .option('--json', 'print a JSON array')
    .option('--url <url>', "a running daemon's base URL: list through its approvals API (token from APPROVAL_TOKEN) instead of Redis")
    .action(async (options: { all?: boolean; json?: boolean; url?: string }) => {
      if (options.url) return listOverHttp(options.url, options);
      await withSafetyContext(async (ctx) => {
        requireSharedStore(ctx, 'approvals');
        await expireApprovals({ store: ctx.approvals, audit: ctx.audit.sink, now: ctx.now });
        const now = ctx.now();
        const approvals = await ctx.approvals.listApprovals(now, options.all ? undefined : 'pending');
        if (options.json) {
          console.log(JSON.stringify(approvals, null, 2));
          return;
        }
        if (approvals.length === 0) console.log(options.all ? 'No approvals.' : 'No pending approvals.');
        for (const a of approvals) console.log(`${formatApproval(a, now)}\n`);
      });
    });
}

async function listOverHttp(url: string, options: { all?: boolean; json?: boolean }): Promise<void> {
  if (options.all) console.error('oncall-agent: warning: --all is not available with --url; the API lists pending approvals only');
  const listed = await createApprovalsHttpClient(url, process.env.APPROVAL_TOKEN).list();
  if (options.json) return void console.log(JSON.stringify(listed, null, 2));
  if (listed.length === 0) console.log('No pending approvals.');
  const now = Date.now();
  for (const a of listed) {
    const text = formatApproval({ ...a, createdAt: Date.parse(a.createdAt), expiresAt: Date.parse(a.expiresAt), payload: undefined }, now);
    console.log(`${text.replace(/oncall-agent (approve|deny) /g, `oncall-agent $1 --url ${url} `)}\n`);
  }
}
