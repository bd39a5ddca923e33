// The processes the load benchmarks drive, as an operator would run them: `oncall-agent sim` (kube-sim),
// one `serve --role api` and N `serve --role worker` sharing one private redis-server, all on loopback.
// Each process writes its own JSONL audit file; the benchmarks judge the run from those records and the cluster.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { AuditEvent } from '../../backend/src/domain/audit.js';
import type { IncidentOutcome } from '../../backend/src/domain/outcome.js';
import { kubectlFor, type Kubectl } from '../../test/helpers/kubectl.js';
import { startTestRedis, type TestRedis } from '../../test/helpers/redis-server.js';
import { spawnAgent, type ServeProcess } from '../../test/helpers/spawn-serve.js';

export interface ClusterOptions {
  workers: number;
  simSpeed: number;
  simNodes: number;
  secret: string;
  /** Settings on top of the benchmark's defaults (rate limits, concurrency…). */
  env?: Record<string, string>;
}

export interface AgentCluster {
  dir: string;
  apiUrl: string;
  kubectl: Kubectl;
  api: ServeProcess;
  workers: ServeProcess[];
  redis: TestRedis;
  env: Record<string, string>;
  /** Every audit record written so far by every process. */
  readAudit(): AuditEvent[];
  /** Peak RSS (VmHWM) per process, in MB, read from /proc while it runs. */
  peakRssMb(): Record<string, number>;
  redisMemory(): Promise<{ usedMb: number; peakMb: number }>;
  stop(): Promise<void>;
}

export async function startAgentCluster(options: ClusterOptions): Promise<AgentCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-agents-'));
  const redis = await startTestRedis();
  const kubeconfig = join(dir, 'kubeconfig');
  const sim = spawnAgent(['sim', '--speed', String(options.simSpeed), '--nodes', String(options.simNodes), '--kubeconfig', kubeconfig], {}, dir);
  const processes: ServeProcess[] = [sim];
  const stop = async () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    const killer = setTimeout(() => processes.forEach((p) => p.child.exitCode === null && p.child.kill('SIGKILL')), 15_000);
    await Promise.allSettled(processes.map((p) => p.exited));
    clearTimeout(killer);
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await sim.waitForLine((l) => String(l.raw ?? '').startsWith('kubeconfig:'), 'kube-sim to listen', 60_000);
    const env: Record<string, string> = {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'bench:',
      HOST: '127.0.0.1',
      PORT: '0',
      PAGERDUTY_WEBHOOK_SECRETS: options.secret,
      STATE_DIR: join(dir, 'state'),
      KUBECONFIG: kubeconfig,
      DOTENV_PATH: join(dir, 'no.env'),
      EXECUTION_MODE: 'yolo',
      VERIFY_POLL_MS: '500',
      NO_CRASHLOOP_WINDOW_SECONDS: '2',
      // The Kubernetes Event sink would add one API write per audit record; the JSONL files are the record here.
      AUDIT_KUBE_EVENTS: 'false',
      LOG_LEVEL: 'info',
      ...options.env,
    };
    const auditFiles: string[] = [];
    const spawnRole = (role: string, name: string) => {
      const file = join(dir, `${name}.audit.jsonl`);
      auditFiles.push(file);
      const p = spawnAgent(['serve', '--role', role], { ...env, AUDIT_JSONL_PATH: file }, dir);
      processes.push(p);
      return p;
    };
    const api = spawnRole('api', 'api');
    const workers = Array.from({ length: options.workers }, (_, i) => spawnRole('worker', `worker-${i + 1}`));
    const line = await api.waitForLine((l) => String(l.msg ?? '').startsWith('listening on'), 'the API to listen', 90_000);
    for (const w of workers) {
      await w.waitForLine((l) => String(l.msg ?? '').startsWith('worker started'), 'a worker to start', 90_000);
    }
    const names = ['sim', 'api', ...workers.map((_, i) => `worker-${i + 1}`)];
    const peaks: Record<string, number> = {};
    const sample = () => {
      processes.forEach((p, i) => {
        try {
          const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8');
          const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
          peaks[names[i]] = Math.max(peaks[names[i]] ?? 0, kb / 1024);
        } catch {
          // exited
        }
      });
    };
    const sampler = setInterval(sample, 1_000);
    sampler.unref();
    const redisClient = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    return {
      dir,
      apiUrl: `http://127.0.0.1:${String(line.port)}`,
      kubectl: kubectlFor(kubeconfig),
      api,
      workers,
      redis,
      env,
      readAudit: () => auditFiles.flatMap((file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEvent) : [])),
      peakRssMb: () => {
        sample();
        return { ...peaks };
      },
      redisMemory: async () => {
        const info = await redisClient.info('memory');
        const mb = (key: string) => Number(new RegExp(`${key}:(\\d+)`).exec(info)?.[1] ?? 0) / 1024 / 1024;
        return { usedMb: mb('used_memory'), peakMb: mb('used_memory_peak') };
      },
      stop: async () => {
        clearInterval(sampler);
        redisClient.disconnect();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export const outcomesIn = (events: AuditEvent[]): Array<{ incidentId: string; ts: string; outcome: IncidentOutcome }> =>
  events.filter((e) => e.type === 'incident.outcome').map((e) => ({ incidentId: e.incidentId ?? '', ts: e.ts, outcome: e.data as unknown as IncidentOutcome }));

/** Writes per incident + action index + command, from the audit trail's `execution` records: more than one is a duplicate. */
export function duplicateWrites(events: AuditEvent[]): Array<{ key: string; count: number }> {
  const counts = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'execution') continue;
    const data = e.data as { index?: number; command?: string };
    const key = `${e.incidentId}#${data.index}:${data.command}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([key, count]) => ({ key, count }));
}

export function percentile(sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const passOrFail = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** Top reasons of escalated (and refused / no_action) outcomes, with incident-specific ids blurred so they group. */
export function topReasons(outcomes: IncidentOutcome[], limit = 8): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    for (const r of o.reasons) {
      const key = r.split(' Evidence:')[0].replace(/\b\d{4}-\d\d-\d\dT[\d:.]+Z\b/g, '<time>').replace(/\d+/g, 'N').slice(0, 160);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit);
}
