import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_TOKEN, deploymentImage, startApprovalDaemon, type ApprovalDaemon } from '../../helpers/approval-daemon.js';

// Channel 5 over plain HTTP against the real daemon: login, session cookie, CSRF and Origin checks, security headers,
// escaping of a hostile alert title, and a deny through the queued decision.

let d: ApprovalDaemon;
beforeAll(async () => {
  d = await startApprovalDaemon();
}, 60_000);
afterAll(async () => d?.stop());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${d.url}${path}`, { method: 'POST', redirect: 'manual', body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: d.url, ...headers } });

async function login(): Promise<string> {
  const res = await post('/ui/login', { token: APPROVAL_TOKEN });
  expect(res.status).toBe(303);
  const setCookie = res.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/^oncall_ui=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
  expect(setCookie).not.toContain(APPROVAL_TOKEN);
  return setCookie.split(';')[0];
}

describe('approval page over HTTP (channel 5)', () => {
  it('without a session: the login page, with security headers; a wrong token or a cross-site login is refused', async () => {
    const res = await fetch(`${d.url}/ui/approvals`);
    expect(res.status).toBe(401);
    const body = await res.text();
    expect(body).toContain('<form method="post" action="/ui/login">');
    expect(body).not.toMatch(/<script/i);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');

    const wrong = await post('/ui/login', { token: 'wrong-token-0123456789abcdef' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('That is not the approval token.');

    const crossSite = await post('/ui/login', { token: APPROVAL_TOKEN }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();

    const forged = await fetch(`${d.url}/ui/approvals`, { headers: { cookie: 'oncall_ui=AAAAAAAAAAAAAAAAAAAAAAAA.99999999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(forged.status).toBe(401);
  }, 60_000);

  it('lists a pending approval with a hostile title as text; bad CSRF or a foreign Origin is 403 and runs nothing; deny works', async () => {
    const hostile = '<script>window.pwned=1</script> CrashLoopBackOff: deployment/web in namespace pweb1';
    const approval = await d.pendingApprovalFor('PWEB1', hostile);
    const cookie = await login();
    const page = await (await fetch(`${d.url}/ui/approvals`, { headers: { cookie } })).text();
    expect(page).toContain(approval.id);
    expect(page).toContain('kubectl rollout undo deployment/web -n pweb1');
    // The server-side dry run taken when the plan was made: the revision it goes back to and the template change.
    expect(page).toContain('Server-side dry run, what would change:');
    expect(page).toMatch(/<li><code>rollout back to revision \d+<\/code><\/li>/);
    expect(page).toMatch(/<li><code>replace \/spec\/template\/spec\/containers\/0\/image: /);
    expect(page).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
    expect(page).not.toMatch(/<script/i);
    expect(page).toMatch(/\d+ (s|min \d+ s) left/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeTruthy();

    const badCsrf = await post(`/ui/approvals/${approval.id}/approve`, { csrf: 'x'.repeat(43), planHash: approval.planHash }, { cookie });
    expect(badCsrf.status).toBe(403);
    const noCsrf = await post(`/ui/approvals/${approval.id}/approve`, { planHash: approval.planHash }, { cookie });
    expect(noCsrf.status).toBe(403);
    const foreign = await post(`/ui/approvals/${approval.id}/approve`, { csrf: csrf!, planHash: approval.planHash }, { cookie, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const noSession = await post(`/ui/approvals/${approval.id}/approve`, { csrf: csrf!, planHash: approval.planHash });
    expect(noSession.status).toBe(401);
    expect(await deploymentImage(d.kubectl, 'pweb1')).toBe('nginx:does-not-exist');
    expect(d.audit().some((e) => e.type === 'approval.granted' && e.incidentId === 'PWEB1')).toBe(false);

    const denied = await post(`/ui/approvals/${approval.id}/deny`, { csrf: csrf!, planHash: approval.planHash, comment: '<b>not now</b>' }, { cookie });
    expect(denied.status).toBe(200);
    const result = await denied.text();
    expect(result).toContain('<span class="decision-status">denied</span>');
    expect(d.audit().find((e) => e.type === 'approval.denied' && e.incidentId === 'PWEB1')?.actor).toMatch(/^web session /);
    expect(await deploymentImage(d.kubectl, 'pweb1')).toBe('nginx:does-not-exist');
    const after = await (await fetch(`${d.url}/ui/approvals`, { headers: { cookie } })).text();
    expect(after).not.toContain(`id="approval-${approval.id}"`);
  }, 150_000);
});
