// Every way to decide a pending approval that this deployment offers, for the PagerDuty announcement: only the
// channels its configuration actually turns on, each with what to type.
import type { Config } from '../config/index.js';

type WaysConfig = Pick<Config, 'REDIS_URL' | 'APPROVAL_TOKEN' | 'PUBLIC_URL' | 'PAGERDUTY_ACTIONS_SECRET'>;

export function approvalWaysOf(config: WaysConfig): (approval: { id: string; planHash?: string }) => string[] {
  const publicUrl = config.PUBLIC_URL?.replace(/\/+$/, '');
  return ({ id, planHash }) => {
    const hash = planHash ?? '<hash>';
    return [
      // Handled by the worker from the signed incident.annotated webhook (pipeline/with-pagerduty.ts).
      `PagerDuty: add a note whose first line is /approve ${id} (or /deny ${id} <reason>)`,
      // The CLI decides through the daemon's API from anywhere the token is (--url), else through Redis where it reaches.
      ...(config.APPROVAL_TOKEN && publicUrl
        ? [`CLI: APPROVAL_TOKEN=<token> oncall-agent approve ${id} --plan-hash ${hash} --url ${publicUrl} (or: deny ${id} --url …)`]
        : config.REDIS_URL
          ? [`CLI: oncall-agent approve ${id} --plan-hash ${hash} (or: oncall-agent deny ${id})`]
          : []),
      ...(config.APPROVAL_TOKEN ? [`API: POST ${publicUrl ?? '<agent URL>'}/approvals/${id}/approve with {"approver": "<you>"}`] : []),
      ...(config.PAGERDUTY_ACTIONS_SECRET ? ['PagerDuty: run the "Approve agent plan" incident workflow or action on this incident'] : []),
    ];
  };
}
