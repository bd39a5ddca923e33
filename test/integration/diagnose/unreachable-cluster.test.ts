// An API server that does not answer: the escalation the human reads names the cause, not only "could not be read".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClientNodeReader } from '../../../backend/src/cluster/client-node-reader.js';
import { createKubeConfig } from '../../../backend/src/cluster/create-kube-config.js';
import { diagnoseIncident } from '../../../backend/src/diagnose/index.js';
import { freePort } from '../../helpers/free-port.js';
import { baseDeps, incident } from './diagnose-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'diagnose-unreachable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diagnosis against an unreachable cluster', () => {
  it('escalates with the network cause in the reason', async () => {
    const port = await freePort();
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      ['apiVersion: v1', 'kind: Config', 'current-context: dead', `clusters: [{name: dead, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`, 'users: [{name: u, user: {token: t}}]', 'contexts: [{name: dead, context: {cluster: dead, user: u}}]'].join('\n'),
    );
    const reader = createClientNodeReader(createKubeConfig({ KUBECONFIG: kubeconfig }), { timeoutMs: 5_000 });
    const proposal = await diagnoseIncident(incident('deployment/web in namespace shop is down'), baseDeps(reader));
    expect(proposal.escalate.required).toBe(true);
    expect(proposal.escalate.reason).toMatch(new RegExp(`^the cluster could not be read to resolve the target: .*ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
  }, 60_000);
});
