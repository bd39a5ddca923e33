import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../../backend/src/http/ui/escape-html.js';
import { renderApprovalsPage } from '../../../backend/src/http/ui/render-approvals-page.js';
import { checkCsrf, csrfTokenFor, issueSession, readCookie, sessionKey, verifySession } from '../../../backend/src/http/ui/ui-session.js';

describe('escapeHtml / html', () => {
  it('escapes every markup character and every interpolated value, arrays included', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'\``)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;');
    const hostile = '<img src=x onerror=alert(1)>';
    expect(html`<p title="${hostile}">${[hostile, html`<b>${hostile}</b>`]}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;<b>&lt;img src=x onerror=alert(1)&gt;</b></p>',
    );
  });

  it('renders a hostile alert title, command and root cause inert on the page', () => {
    const page = renderApprovalsPage({
      pending: [{
        approval: { id: 'apr-1', incidentId: 'P1', planHash: 'a'.repeat(64), commands: ['kubectl rollout undo deployment/web -n x"><script>1</script>'], createdAt: 0, expiresAt: 60_000, status: 'pending', payload: { title: '<script>window.pwned=1</script>' } },
        outcome: { incidentId: 'P1', outcome: 'awaiting_approval', run: 'triage', mode: 'approval', rootCause: '</p><iframe src=//evil>', reasons: [], commands: [], timings: { receivedAt: '', totalMs: 1 } },
      }],
      recent: [],
      csrf: 'c',
      now: 0,
    });
    expect(page).not.toMatch(/<script|<iframe/i);
    expect(page).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
    expect(page).toContain('60 s left');
  });
});

describe('approval page sessions', () => {
  const key = sessionKey('approval-token-0123456789abcdef');
  it('verifies its own session and CSRF token, and refuses forged, tampered, expired or other-key ones', () => {
    const { value, session } = issueSession(key, 1_000);
    expect(value).not.toContain('approval-token');
    expect(verifySession(key, value, 2_000)).toEqual(session);
    expect(verifySession(key, value, session.expiresAt)).toBeUndefined();
    expect(verifySession(key, value.replace(/\.(\d+)\./, (_m, n: string) => `.${Number(n) + 1}.`), 2_000)).toBeUndefined();
    expect(verifySession(sessionKey('another-token-0123456789abcdef'), value, 2_000)).toBeUndefined();
    expect(verifySession(key, 'garbage', 2_000)).toBeUndefined();
    expect(checkCsrf(key, session, csrfTokenFor(key, session))).toBe(true);
    expect(checkCsrf(key, session, csrfTokenFor(key, issueSession(key, 1_000).session))).toBe(false);
    expect(checkCsrf(key, session, undefined)).toBe(false);
    expect(readCookie(`a=1; oncall_ui=${value}; b=2`, 'oncall_ui')).toBe(value);
  });
});
