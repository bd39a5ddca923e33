import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFanOutSink } from '../../../backend/src/audit/fan-out-sink.js';
import { JsonlAuditSink } from '../../../backend/src/audit/jsonl-sink.js';
import { KubeEventAuditSink } from '../../../backend/src/audit/kube-event-sink.js';
import { RedisStreamAuditSink } from '../../../backend/src/audit/redis-stream-sink.js';
import { ClientNodeEventWriter } from '../../../backend/src/cluster/client-node-event-writer.js';
import { createRedis } from '../../../backend/src/redis/create-redis.js';
import { freePort } from '../../helpers/free-port.js';
import { event, expectNoSecrets, secretBearingEvent } from './audit-events.js';

const dir = mkdtempSync(join(tmpdir(), 'oncall-fanout-'));
let apiServer: Server;
let apiPort: number;
const posted: Array<{ path: string; body: Record<string, unknown> }> = [];
let silentServer: TcpServer;
let silentPort: number;
const sockets: Socket[] = [];

function writerFor(port: number): ClientNodeEventWriter {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new ClientNodeEventWriter(kc.makeApiClient(CoreV1Api), () => new Date('2026-11-21T12:00:00Z'));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

beforeAll(async () => {
  // A minimal API server that accepts Event creation the way the real one answers it (201 + the object).
  apiPort = await freePort();
  apiServer = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    posted.push({ path: `${req.method} ${req.url}`, body });
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => apiServer.listen(apiPort, '127.0.0.1', r));
  // A server that accepts connections and never answers: a hung API server.
  silentPort = await freePort();
  silentServer = createTcpServer((socket) => sockets.push(socket));
  await new Promise<void>((r) => silentServer.listen(silentPort, '127.0.0.1', r));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silentServer.close(r));
  await new Promise((r) => apiServer.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('fan-out audit sink', () => {
  it('writes to every sink; failing and hanging sinks are logged and never block or throw', async () => {
    const good = join(dir, 'good.jsonl');
    writeFileSync(join(dir, 'a-file'), '');
    const warnings: Array<Record<string, unknown>> = [];
    const deadRedis = createRedis('redis://127.0.0.1:1', 'command');
    const sink = createFanOutSink(
      [
        { name: 'jsonl', sink: new JsonlAuditSink(good) },
        { name: 'jsonl-broken', sink: new JsonlAuditSink(join(dir, 'a-file', 'audit.jsonl')) },
        { name: 'redis-down', sink: new RedisStreamAuditSink(deadRedis, 'x:audit', 100) },
        { name: 'kube-hung', sink: new KubeEventAuditSink(writerFor(silentPort)) },
      ],
      { warn: (object) => warnings.push(object), error: (object) => warnings.push(object) },
      { timeoutMs: 500 },
    );
    await expect(sink.write(event({ target: { kind: 'Deployment', namespace: 'shop', name: 'web' }, type: 'execution', data: { command: 'kubectl get pods', exitCode: 0 } }))).resolves.toBeUndefined();
    deadRedis.disconnect();
    expect(readFileSync(good, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(warnings.map((w) => w.sink).sort()).toEqual(['jsonl-broken', 'kube-hung', 'redis-down']);
    expect(warnings.find((w) => w.sink === 'kube-hung')?.err).toMatch(/timed out/);
  });
});

describe('Kubernetes Event audit sink over client-node', () => {
  it('creates a core/v1 Event on the target with reason AgentRemediation, the action and the verdict, redacted', async () => {
    posted.length = 0;
    const sink = new KubeEventAuditSink(writerFor(apiPort));
    await sink.write({ ...secretBearingEvent(), target: { kind: 'Deployment', namespace: 'shop', name: 'web', apiVersion: 'apps/v1', uid: 'uid-1' } });
    await sink.write(event({ type: 'verification', target: { kind: 'Deployment', namespace: 'shop', name: 'web' }, data: { verdict: { status: 'failed', detail: '0/3 ready' } } }));
    await sink.write(event({ type: 'risk', target: { kind: 'Deployment', namespace: 'shop', name: 'web' } }));
    await sink.write(event({ type: 'execution' })); // no target: nothing to attach to
    expect(posted).toHaveLength(2);
    const [execution, verification] = posted;
    expect(execution.path).toBe('POST /api/v1/namespaces/shop/events');
    expect(execution.body).toMatchObject({
      reason: 'AgentRemediation',
      type: 'Normal',
      count: 1,
      involvedObject: { kind: 'Deployment', name: 'web', namespace: 'shop', apiVersion: 'apps/v1', uid: 'uid-1' },
      source: { component: 'oncall-agent' },
      reportingComponent: 'oncall-agent',
      firstTimestamp: '2026-11-21T12:00:00.000Z',
      lastTimestamp: '2026-11-21T12:00:00.000Z',
    });
    expect(execution.body.message).toContain('action: kubectl rollout undo deployment/web -n shop');
    expect(execution.body.message).toContain('exit 0');
    expect(verification.body).toMatchObject({ type: 'Warning' });
    expect(verification.body.message).toContain('verdict: failed');
    expect(expectNoSecrets(JSON.stringify(posted))).toEqual([]);
  });
});
