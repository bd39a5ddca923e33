import { describe, expect, it } from 'vitest';
import { clipOutput, clipStdoutOf } from '../../../backend/src/execute/audit-step.js';
import { assessCommand } from '../../../backend/src/risk/index.js';
import { redactKubeObjects } from '../../../backend/src/redaction/redact.js';

const secretYaml = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
type: Opaque
data:
  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t
  DATABASE_URL: cG9zdGdyZXM6Ly91OnBAZGI6NTQzMi94
`;

const deploymentJson = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"env":[{"name":"DB_PASSWORD","value":"hunter2"}]}' } },
  spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'LOG_LEVEL', value: 'debug' }] }] } } },
});

describe('clipOutput: object output is redacted structurally before it reaches the audit trail', () => {
  it.each([
    ['a Secret as YAML', secretYaml, ['LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t', 'cG9zdGdyZXM6Ly91OnBAZGI6NTQzMi94']],
    ['a Secret as JSON', JSON.stringify({ kind: 'Secret', data: { token: 'c2VjcmV0LXRva2Vu' }, stringData: { pw: 'plain' } }), ['c2VjcmV0LXRva2Vu', 'plain']],
    ['env values and the last-applied copy', deploymentJson, ['hunter2']],
    ['a List of Secrets', JSON.stringify({ kind: 'List', items: [{ kind: 'Secret', data: { k: 'dmFsdWUtb25l' } }] }), ['dmFsdWUtb25l']],
  ])('%s', (_name, output, secrets) => {
    const clipped = clipOutput(output);
    for (const secret of secrets) expect(clipped).not.toContain(secret);
  });

  it('keeps what a human needs: names, kinds, plain env values and table output', () => {
    expect(clipOutput(deploymentJson)).toContain('LOG_LEVEL');
    expect(clipOutput(deploymentJson)).toContain('debug');
    expect(clipOutput(secretYaml)).toContain('"tls.key":"[REDACTED]"');
    const table = 'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/2     2            2           5m';
    expect(clipOutput(table)).toBe(table);
  });

  it('withholds object output it cannot parse rather than guessing', () => {
    const broken = 'apiVersion: v1\nkind: Secret\ndata:\n  key: [unclosed';
    expect(clipOutput(broken)).toMatch(/^\[object output withheld: \d+ bytes/);
  });

  it('redactKubeObjects leaves non-secret objects intact', () => {
    const pod = { kind: 'Pod', metadata: { name: 'web-1' }, status: { phase: 'Running' } };
    expect(redactKubeObjects(pod)).toEqual(pod);
  });
});

describe('clipStdoutOf: output of commands that can print Secret values is withheld whole', () => {
  const policy = { protectedNamespaces: [], denyList: [] };
  const bare = 'UzNjcjN0LVZhbHVlLTQyNDI=\n';
  it.each([
    'kubectl get secret db -n shop -o custom-columns=P:.data.password',
    "kubectl get secrets -n shop -o 'jsonpath={.items[0].data}'",
    'kubectl describe secret db -n shop',
    'kubectl exec web-0 -n shop -- cat /var/run/secrets/db/password',
    'kubectl cp shop/web-0:/etc/creds ./creds',
    'kubectl get --raw /api/v1/namespaces/shop/secrets/db',
  ])('%s', (command) => {
    const out = clipStdoutOf(assessCommand(command, policy), bare);
    expect(out).toMatch(/^\[output withheld: this command can print Secret data; 25 bytes not recorded\]$/);
  });

  it('keeps (redacted) output of other commands, and an empty output as is', () => {
    expect(clipStdoutOf(assessCommand('kubectl get pods -n shop', policy), 'NAME READY\nweb-0 1/1\n')).toBe('NAME READY\nweb-0 1/1\n');
    expect(clipStdoutOf(assessCommand('kubectl get secret db -n shop -o yaml', policy), '')).toBe('');
  });
});
