// One `oncall-agent serve` on Redis and kube-sim that writes back to the fake PagerDuty, for the daemon-level
// write-back and approval tests: each call gets its own state directory, audit file and Redis key prefix.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_PD_AGENT, FAKE_PD_TOKEN } from '../fakes/fake-pagerduty-server.js';
import { spawnAgent, type ServeProcess } from './spawn-serve.js';

export type AuditLine = { type: string; incidentId?: string; actor: string; data: Record<string, unknown> };

export interface WritebackDaemonSetup {
  /** Working directory; the daemon's state goes in `<dir>/<name>`. */
  dir: string;
  name: string;
  redisUrl: string;
  pdUrl: string;
  kubeconfig: string;
  webhookSecret: string;
  /** Settings of this test (mode, extra PagerDuty settings…); they win over the defaults here. */
  env: Record<string, string>;
}

export interface WritebackDaemon {
  p: ServeProcess;
  url: string;
  /** The daemon's JSONL audit trail as it is now. */
  audit(): AuditLine[];
}

export async function startWritebackDaemon(setup: WritebackDaemonSetup, started: ServeProcess[]): Promise<WritebackDaemon> {
  const stateDir = join(setup.dir, setup.name);
  const p = spawnAgent(
    ['serve'],
    {
      DOTENV_PATH: join(setup.dir, 'no.env'),
      REDIS_URL: setup.redisUrl,
      REDIS_KEY_PREFIX: `${setup.name}:`,
      HOST: '127.0.0.1',
      PORT: '0',
      PAGERDUTY_WEBHOOK_SECRETS: setup.webhookSecret,
      PAGERDUTY_API_TOKEN: FAKE_PD_TOKEN,
      PAGERDUTY_FROM_EMAIL: FAKE_PD_AGENT.email,
      PAGERDUTY_API_URL: setup.pdUrl,
      PAGERDUTY_WRITEBACK_BACKOFF_MS: '100',
      PAGERDUTY_WRITEBACK_GIVE_UP_SECONDS: '20',
      STATE_DIR: stateDir,
      AUDIT_JSONL_PATH: join(stateDir, 'audit.jsonl'),
      KUBECONFIG: setup.kubeconfig,
      K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true',
      NO_CRASHLOOP_WINDOW_SECONDS: '2',
      VERIFY_POLL_MS: '200',
      ...setup.env,
    },
    setup.dir,
  );
  started.push(p);
  const line = await p.waitForLine((l) => typeof l.msg === 'string' && l.msg.startsWith('listening on'), 'the listening line');
  const audit = (): AuditLine[] => {
    const path = join(stateDir, 'audit.jsonl');
    return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditLine) : [];
  };
  return { p, url: `http://127.0.0.1:${String(line.port)}`, audit };
}
