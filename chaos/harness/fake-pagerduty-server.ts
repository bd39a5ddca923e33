// A fake PagerDuty REST API: real HTTP on loopback, the subset the agent uses, recording requests. Tests, test-yolo
// and the demo serve incidents and their alerts with it, the way PagerDuty serves them.
// Routes are a table so later issues (notes, ack, resolve) add entries without touching the server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PdRecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface FakePdIncident {
  id: string;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  service: { id: string; summary?: string };
  urgency?: string;
  created_at?: string;
  /** Alerts of this incident: each body is the Events v2 payload as PagerDuty stores it. */
  alerts?: Array<{ id: string; summary?: string; body?: Record<string, unknown> }>;
}

export interface PdState {
  incidents: FakePdIncident[];
  /** When set, every request answers this status (to test failures). */
  failWith?: number;
}

export type PdRoute = (req: PdRecordedRequest, state: PdState, params: string[]) => { status: number; body?: unknown };

export const FAKE_PD_TOKEN = 'u+fakepagerdutytoken0';

const ROUTES: Array<[string, RegExp, PdRoute]> = [
  [
    'GET',
    /^\/incidents\/([^/]+)\/alerts$/,
    (_req, state, [id]) => {
      const incident = state.incidents.find((i) => i.id === id);
      if (!incident) return { status: 404, body: { error: { message: 'Not Found', code: 2100 } } };
      const alerts = (incident.alerts ?? []).map((a) => ({ type: 'alert', id: a.id, summary: a.summary, status: 'triggered', body: a.body }));
      return { status: 200, body: { alerts, limit: 25, offset: 0, more: false, total: null } };
    },
  ],
  [
    'GET',
    /^\/incidents$/,
    (req, state) => {
      const services = req.query.getAll('service_ids[]');
      const statuses = req.query.getAll('statuses[]');
      const incidents = state.incidents
        .filter((i) => (services.length === 0 || services.includes(i.service.id)) && (statuses.length === 0 || statuses.includes(i.status)))
        .map(({ alerts: _a, ...rest }) => ({ type: 'incident', ...rest }));
      return { status: 200, body: { incidents, limit: 25, offset: 0, more: false, total: null } };
    },
  ],
];

export interface FakePagerDutyServer {
  url: string;
  state: PdState;
  requests: PdRecordedRequest[];
  addRoute(method: string, path: RegExp, route: PdRoute): void;
  close(): Promise<void>;
}

export async function startFakePagerDuty(initial: Partial<PdState> = {}, token = FAKE_PD_TOKEN, port = 0): Promise<FakePagerDutyServer> {
  const state: PdState = { incidents: [], ...initial };
  const requests: PdRecordedRequest[] = [];
  const routes = [...ROUTES];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const recorded: PdRecordedRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: { ...req.headers }, body };
      requests.push(recorded);
      const answer = (status: number, payload?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      if (req.headers.authorization !== `Token token=${token}`) return answer(401, { error: { message: 'Unauthorized', code: 2006 } });
      if (state.failWith) return answer(state.failWith, { error: { message: 'fake failure', code: 2000 } });
      for (const [method, pattern, route] of routes) {
        const m = pattern.exec(url.pathname);
        if (m && method === req.method) {
          const out = route(recorded, state, m.slice(1));
          return answer(out.status, out.body);
        }
      }
      answer(404, { error: { message: `no route ${req.method} ${url.pathname}`, code: 2100 } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    state,
    requests,
    addRoute: (method, path, route) => routes.unshift([method, path, route]),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
