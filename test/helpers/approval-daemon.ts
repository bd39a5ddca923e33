import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim, type RunningSim } from '../../chaos/sim/start-sim.js';
import { eventually, kubectlFor } from './kubectl.js';
import { startTestRedis, type TestRedis } from './redis-server.js';
import { loadFixture, signDelivery } from './sign-pagerduty.js';
import { spawnAgent, type ServeProcess } from './spawn-serve.js';

// The real daemon (approval mode, Redis, kube-sim) with the approval channels on, and a way to put a broken
// deployment in front of it so a plan waits for a human: shared by the channel 4 (CLI --url) and 5 (web page) tests.

export const WEBHOOK_SECRET = 'whsec-approval-channels';
export const APPROVAL_TOKEN = 'approval-token-0123456789abcdef';

export interface ApprovalDaemon {
  url: string;
  redis: TestRedis;
  sim: RunningSim;
  dir: string;
  agent: ServeProcess;
  kubectl: (...args: string[]) => Promise<string>;
  audit(): Array<{ type: string; incidentId?: string; actor: string; data: Record<string, unknown> }>;
  /** Breaks deployment/web in namespace incidentId.toLowerCase(), pages the daemon, and resolves with the pending approval. */
  pendingApprovalFor(incidentId: string, title?: string): Promise<{ id: string; planHash: string; commands: string[] }>;
  stop(): Promise<void>;
}

export async function startApprovalDaemon(extraEnv: Record<string, string> = {}): Promise<ApprovalDaemon> {
  const [redis, sim] = await Promise.all([startTestRedis(), startSim({ speed: 20 })]);
  const dir = mkdtempSync(join(tmpdir(), 'oncall-approval-channels-'));
  const auditPath = join(dir, 'state', 'audit.jsonl');
  const agent = spawnAgent(['serve'], {
    DOTENV_PATH: join(dir, 'no.env'),
    REDIS_URL: redis.url,
    HOST: '127.0.0.1',
    PORT: '0',
    PAGERDUTY_WEBHOOK_SECRETS: WEBHOOK_SECRET,
    STATE_DIR: join(dir, 'state'),
    AUDIT_JSONL_PATH: auditPath,
    KUBECONFIG: sim.kubeconfigPath,
    EXECUTION_MODE: 'approval',
    K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
    NO_CRASHLOOP_WINDOW_SECONDS: '2',
    VERIFY_POLL_MS: '200',
    APPROVAL_TOKEN,
    ...extraEnv,
  }, dir);
  const line = await agent.waitForLine((l) => typeof l.msg === 'string' && l.msg.startsWith('listening on'), 'the listening line');
  const url = `http://127.0.0.1:${String(line.port)}`;
  const k = kubectlFor(sim.kubeconfigPath);
  const kubectl = (...args: string[]) => k.ok(args);
  const audit = () => (existsSync(auditPath) ? readFileSync(auditPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

  const pendingApprovalFor = async (incidentId: string, title?: string) => {
    const ns = incidentId.toLowerCase();
    await kubectl('create', 'namespace', ns);
    await kubectl('create', 'deployment', 'web', '-n', ns, '--image=nginx:1.27', '--replicas=2');
    await kubectl('rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s');
    await kubectl('set', 'image', 'deployment/web', '-n', ns, 'nginx=nginx:does-not-exist');
    await eventually(async () => /ErrImagePull|ImagePullBackOff/.test(await kubectl('get', 'pods', '-n', ns)), 30_000);
    const payload = loadFixture('incident.triggered');
    payload.event.id = `trigger-${incidentId}`;
    Object.assign(payload.event.data, { id: incidentId, title: title ?? `CrashLoopBackOff: deployment/web in namespace ${ns}` });
    const delivery = signDelivery(payload, [WEBHOOK_SECRET], payload.event.id);
    const res = await fetch(`${url}/webhooks/pagerduty`, { method: 'POST', body: delivery.body, headers: delivery.headers });
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
    return eventually(async () => {
      const list = (await (await fetch(`${url}/approvals`, { headers: { authorization: `Bearer ${APPROVAL_TOKEN}` } })).json()) as Array<{ id: string; incidentId: string; planHash: string; commands: string[] }>;
      return list.find((a) => a.incidentId === incidentId);
    }, 60_000, 200);
  };

  const stop = async () => {
    if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
    await Promise.allSettled([redis.close(), sim.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, redis, sim, dir, agent, kubectl, audit, pendingApprovalFor, stop };
}

export const deploymentImage = (kubectl: ApprovalDaemon['kubectl'], ns: string) =>
  kubectl('get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
