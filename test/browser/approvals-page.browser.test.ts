import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_TOKEN, deploymentImage, startApprovalDaemon, type ApprovalDaemon } from '../helpers/approval-daemon.js';

// Channel 5 in a real browser (Debian chromium, headless, driven by playwright-core) against the real daemon on
// kube-sim: sign in, see the pending plan, click Approve, the worker fixes the workload, the page shows the outcome.
// The alert title carries a script that must stay text.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let d: ApprovalDaemon;
let browser: Browser;

beforeAll(async () => {
  [d, browser] = await Promise.all([startApprovalDaemon(), chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })]);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await d?.stop();
});

describe('approval page in headless Chromium (channel 5)', () => {
  it('lists the pending plan, renders a hostile title as text, and Approve runs the plan and shows the outcome', async () => {
    const hostile = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned=true"> CrashLoopBackOff: deployment/web in namespace pbrow1';
    const approval = await d.pendingApprovalFor('PBROW1', hostile);
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => void (dialogs.push(dialog.message()), dialog.dismiss()));

    await page.goto(`${d.url}/ui/approvals`);
    await page.fill('input[name="token"]', APPROVAL_TOKEN);
    await Promise.all([page.waitForURL(`${d.url}/ui/approvals`), page.click('button[type="submit"]')]);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'oncall_ui')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate('document.cookie')).toBe('');

    const card = page.locator(`#approval-${approval.id}`);
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.locator('.command').first().textContent()).toBe('kubectl rollout undo deployment/web -n pbrow1');
    expect(await card.locator('.alert-title').textContent()).toBe(hostile);
    expect(await card.locator('.alert-title').isVisible()).toBe(true);
    expect(await page.locator('script, img').count()).toBe(0);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');

    await Promise.all([page.waitForURL(`${d.url}/ui/approvals/${approval.id}/approve`, { timeout: 90_000 }), card.locator('button.approve').click()]);
    expect(await page.locator('.decision-status').textContent()).toBe('ran');
    expect(await page.locator('.outcome-kind').textContent()).toBe('fixed');
    expect(await deploymentImage(d.kubectl, 'pbrow1')).toBe('nginx:1.27');
    expect(d.audit().find((e) => e.type === 'approval.granted' && e.incidentId === 'PBROW1')?.actor).toMatch(/^web session /);

    await page.click('a[href="/ui/approvals"]');
    expect(await page.locator(`#approval-${approval.id}`).count()).toBe(0);
    expect(await page.locator('table.outcomes').textContent()).toContain('PBROW1');
    expect(await page.locator('table.outcomes .kind-fixed').first().textContent()).toBe('fixed');
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(dialogs).toEqual([]);
  }, 180_000);
});
