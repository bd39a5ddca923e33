import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_TOKEN, startApprovalDaemon, type ApprovalDaemon } from '../../helpers/approval-daemon.js';

// Online guessing of the approval secrets, against the real daemon: after 10 wrong secrets from one address, that
// address is refused on every approval channel over HTTP, even with the right token, until its window passes.

const ACTIONS_SECRET = 'actions-secret-0123456789abcdef';
let d: ApprovalDaemon;
beforeAll(async () => {
  d = await startApprovalDaemon({ PAGERDUTY_ACTIONS_SECRET: ACTIONS_SECRET });
}, 60_000);
afterAll(async () => d?.stop());

const api = (token: string) => fetch(`${d.url}/approvals`, { headers: { authorization: `Bearer ${token}` } });

describe('wrong approval secrets from one address', () => {
  it('the 11th request is refused with 429 and Retry-After on the API, the actions endpoint and the page sign-in', async () => {
    expect((await api(APPROVAL_TOKEN)).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await api(`wrong-token-${i}-0123456789abcdef`)).status).toBe(401);
    for (let i = 0; i < 5; i += 1) {
      const res = await fetch(`${d.url}/webhooks/pagerduty/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-oncall-agent-secret': `wrong-secret-${i}-0123456789` },
        body: JSON.stringify({ incident_id: 'P1', decision: 'approve' }),
      });
      expect(res.status).toBe(401);
    }

    const locked = await api(APPROVAL_TOKEN);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: string }).error).toMatch(/^too many wrong secrets from this address; try again in \d+ s$/);

    const signIn = await fetch(`${d.url}/ui/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: d.url },
      body: new URLSearchParams({ token: APPROVAL_TOKEN }).toString(),
    });
    expect(signIn.status).toBe(429);
    expect(signIn.headers.get('set-cookie')).toBeNull();
    expect(await signIn.text()).toContain('Too many wrong tokens from this address');
  }, 60_000);
});
