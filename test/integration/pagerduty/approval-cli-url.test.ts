import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_TOKEN, deploymentImage, startApprovalDaemon, type ApprovalDaemon } from '../../helpers/approval-daemon.js';
import { freePort } from '../../helpers/free-port.js';
import { runAgentCli } from '../../helpers/spawn-serve.js';

// Channel 4: `oncall-agent approvals|approve|deny --url` against the real daemon's approvals API on kube-sim.
// The CLI gets no REDIS_URL here: the HTTP API is its only way in.

let d: ApprovalDaemon;
beforeAll(async () => {
  d = await startApprovalDaemon();
}, 60_000);
afterAll(async () => d?.stop());

const cli = (args: string[], token: string | undefined = APPROVAL_TOKEN) => runAgentCli(args, { DOTENV_PATH: `${d.dir}/no.env`, ...(token ? { APPROVAL_TOKEN: token } : {}) }, d.dir);

describe('CLI --url (channel 4)', () => {
  it('lists, approves (the plan runs and the workload is fixed) and says a second approve ran nothing', async () => {
    const approval = await d.pendingApprovalFor('PCLI1');
    const listed = await cli(['approvals', '--url', d.url]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(approval.id);
    expect(listed.stdout).toContain('kubectl rollout undo deployment/web -n pcli1');
    expect(listed.stdout).toContain(`oncall-agent approve --url ${d.url} ${approval.id} --plan-hash ${approval.planHash}`);
    const json = await cli(['approvals', '--url', d.url, '--json']);
    expect((JSON.parse(json.stdout) as Array<{ id: string }>).map((a) => a.id)).toContain(approval.id);

    const approved = await cli(['approve', approval.id, '--plan-hash', approval.planHash, '--by', 'carol', '--url', d.url]);
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`Approved ${approval.id} (incident PCLI1) by carol (http)`);
    expect(approved.stdout).toMatch(/Outcome: .*fixed/i);
    expect(await deploymentImage(d.kubectl, 'pcli1')).toBe('nginx:1.27');
    expect(d.audit().find((e) => e.type === 'approval.granted' && e.incidentId === 'PCLI1')?.actor).toBe('carol (http)');

    const again = await cli(['approve', approval.id, '--plan-hash', approval.planHash, '--url', d.url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^oncall-agent: .*already/);
    expect(d.audit().filter((e) => e.type === 'execution' && e.incidentId === 'PCLI1')).toHaveLength(1);
  }, 150_000);

  it('denies through the API: nothing runs', async () => {
    const approval = await d.pendingApprovalFor('PCLI2');
    const denied = await cli(['deny', approval.id, '--reason', 'not during the release', '--by', 'dave', '--url', d.url]);
    expect(denied.code).toBe(0);
    expect(denied.stdout).toContain(`Denied ${approval.id} (incident PCLI2) by dave (http): not during the release.`);
    expect(await deploymentImage(d.kubectl, 'pcli2')).toBe('nginx:does-not-exist');
    expect(d.audit().some((e) => e.type === 'approval.denied' && e.incidentId === 'PCLI2')).toBe(true);
  }, 150_000);

  it('one clear line for a wrong token, a missing token, an unreachable daemon, an unknown approval and a bad URL', async () => {
    const wrong = await cli(['approvals', '--url', d.url], 'wrong-token-0123456789abcdef');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')[0]).toMatch(/^oncall-agent: the daemon at http:\/\/127\.0\.0\.1:\d+ refused APPROVAL_TOKEN \(401\)/);
    expect(wrong.stderr).not.toContain('wrong-token');

    const missing = await cli(['approvals', '--url', d.url], '');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^oncall-agent: --url needs APPROVAL_TOKEN in the environment/);

    const port = await freePort();
    const down = await cli(['approve', 'apr-x', '--plan-hash', 'abcdef0123', '--url', `http://127.0.0.1:${port}`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(new RegExp(`^oncall-agent: cannot reach the daemon at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));

    const unknown = await cli(['deny', 'apr-does-not-exist', '--url', d.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^oncall-agent: no approval apr-does-not-exist at http:\/\/127\.0\.0\.1:\d+ \(404\)/);

    const bad = await cli(['approvals', '--url', 'not a url']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^oncall-agent: --url "not a url" is not a URL/);
    for (const r of [wrong, missing, down, unknown, bad]) expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
