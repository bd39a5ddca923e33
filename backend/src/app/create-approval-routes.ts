// The approval channels served over HTTP by the API role: the API and workflow-action endpoint (channels 2 and 3) and
// the approval page (channel 5). They only read approvals and queue decisions; a worker runs every decision.
import type { Router } from 'express';
import type { Config } from '../config/index.js';
import { createAuditReader } from '../audit/create-audit.js';
import { createApprovalsRouter } from '../http/approvals-router.js';
import { createFailedAuthLimit } from '../http/failed-auth-limit.js';
import { createApprovalsUiRouter } from '../http/ui/approvals-ui-router.js';
import type { Logger } from '../observability/logger.js';
import type { IncidentQueue } from '../queue/incident-queue.js';
import type { ApprovalStore } from '../safety/safety-store.js';
import { createSafetyStore } from '../safety/create-safety-store.js';

type ApprovalReads = Pick<ApprovalStore, 'listApprovals' | 'getApproval'>;

export interface ApprovalRoutes {
  routers: Router[];
  /** What is mounted, for the start-up line. */
  routes: string[];
  /** Closes what this factory opened (a store shared with the agent is the agent's to close). */
  close(): Promise<void>;
}

/**
 * Undefined when no channel is configured (neither APPROVAL_TOKEN nor PAGERDUTY_ACTIONS_SECRET). With `shared`, the
 * routes read the agent's own store (in one process the in-process store has no other copy); without it (an API-only
 * process) they open their own client of the shared Redis store.
 */
export function createApprovalRoutes(
  config: Config,
  deps: { queue: IncidentQueue; logger: Logger; shared?: ApprovalReads },
): ApprovalRoutes | undefined {
  if (!config.APPROVAL_TOKEN && !config.PAGERDUTY_ACTIONS_SECRET) return undefined;
  const owned = deps.shared ? undefined : createSafetyStore(config);
  const store: ApprovalReads = deps.shared ?? owned!;
  const approvals = { list: store.listApprovals.bind(store), get: store.getApproval.bind(store) };
  // One count of wrong secrets per client address across the API, the actions endpoint and the page's sign-in.
  const failedAuth = createFailedAuthLimit();
  const routers: Router[] = [
    createApprovalsRouter({ approvals, queue: deps.queue, logger: deps.logger, token: config.APPROVAL_TOKEN, actionsSecret: config.PAGERDUTY_ACTIONS_SECRET, failedAuth }),
  ];
  const routes = ['/approvals', 'POST /webhooks/pagerduty/actions'];
  // Channel 5 needs APPROVAL_TOKEN: it is the page's one login secret.
  const reader = config.APPROVAL_TOKEN ? createAuditReader(config) : undefined;
  if (reader && config.APPROVAL_TOKEN) {
    routers.push(createApprovalsUiRouter({ approvals, queue: deps.queue, audit: reader, logger: deps.logger, token: config.APPROVAL_TOKEN, publicUrl: config.PUBLIC_URL, failedAuth }));
    routes.push('/ui/approvals');
  }
  return {
    routers,
    routes,
    close: async () => void (await Promise.allSettled([owned?.close(), reader?.close()])),
  };
}
