// A fake PagerDuty for tests, test-yolo and the demo: real HTTP on loopback, speaking the REST v2 API (incidents, alerts, notes, status
// updates, users) and the Events API v2 (alert events and change events) as PagerDuty documents them, recording every
// request. Failures are scripted: `failWith` answers one status to everything, `failNext` queues answers (a 429 once,
// 500s for a while) before the real route runs.
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

export interface FakePdNote {
  id: string;
  content: string;
  user: { id: string; type: 'user_reference'; summary: string };
  channel: { summary: string };
  created_at: string;
}

export interface FakePdUser {
  id: string;
  email: string;
  name: string;
}

export interface FakePdIncident {
  id: string;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  notes?: FakePdNote[];
  service: { id: string; summary?: string };
  urgency?: string;
  created_at?: string;
  /** Alerts of this incident: each body is the Events v2 payload as PagerDuty stores it. */
  alerts?: Array<{ id: string; summary?: string; body?: Record<string, unknown> }>;
}

export interface PdState {
  incidents: FakePdIncident[];
  /** Users of the account; From must name one of them on writes. */
  users: FakePdUser[];
  /** The user a user-level token belongs to (GET /users/me); unset: an account token, /users/me answers 400. */
  tokenUser?: string;
  /** When set, every request answers this status (to test failures). */
  failWith?: number;
  /** Answers served before any route, first match first; each is used `times` times. */
  failNext: Array<{
    status: number;
    times: number;
    retryAfter?: string;
    match?: (req: PdRecordedRequest) => boolean;
    /** Run the real route first, then answer the failure: the write happened but its answer was lost. */
    afterWrite?: boolean;
  }>;
  /** Events API v2 events accepted (alert and change events), in arrival order. */
  events: Array<{ path: string; body: Record<string, unknown> }>;
}

export type PdRoute = (req: PdRecordedRequest, state: PdState, params: string[]) => { status: number; body?: unknown };

export const FAKE_PD_TOKEN = 'u+fakepagerdutytoken0';
/** The agent's own user in the fake account (PAGERDUTY_FROM_EMAIL of the tests). */
export const FAKE_PD_AGENT = { id: 'PAGENT1', email: 'oncall-agent@example.com', name: 'oncall-agent' };
export const FAKE_PD_HUMAN = { id: 'PHUMAN1', email: 'alice@example.com', name: 'Alice On-Call' };

/** The Events API v2: 202 with a dedup key for well-formed events, 400 with PagerDuty's error shape otherwise. */
function eventsRoute(req: PdRecordedRequest, state: PdState): { status: number; body?: unknown } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const invalid = (why: string) => ({ status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: [why] } });
  if (typeof body.routing_key !== 'string' || body.routing_key.length !== 32) return invalid("'routing_key' is invalid");
  const payload = body.payload as Record<string, unknown> | undefined;
  if (req.path === '/v2/change/enqueue') {
    if (!payload || typeof payload.summary !== 'string' || !payload.summary) return invalid("'payload.summary' is missing");
    if (typeof payload.timestamp !== 'string' || Number.isNaN(Date.parse(payload.timestamp))) return invalid("'payload.timestamp' is invalid");
    state.events.push({ path: req.path, body });
    return { status: 202, body: { status: 'success', message: 'Change event processed' } };
  }
  const action = body.event_action;
  if (!['trigger', 'acknowledge', 'resolve'].includes(String(action))) return invalid("'event_action' is invalid");
  if (action === 'trigger') {
    if (!payload || typeof payload.summary !== 'string' || !payload.summary) return invalid("'payload.summary' is missing");
    if (typeof payload.source !== 'string' || !payload.source) return invalid("'payload.source' is missing");
    if (!['critical', 'error', 'warning', 'info'].includes(String(payload.severity))) return invalid("'payload.severity' is invalid");
  } else if (typeof body.dedup_key !== 'string' || !body.dedup_key) {
    return invalid("'dedup_key' is required for acknowledge and resolve");
  }
  state.events.push({ path: req.path, body });
  const dedupKey = typeof body.dedup_key === 'string' && body.dedup_key ? body.dedup_key : `fake${state.events.length}`;
  return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
}

const pdError = (status: number, message: string, code: number, errors: string[] = []) => ({ status, body: { error: { message, code, errors } } });

/** Writes need From naming a user of the account, as PagerDuty requires with an account-level token. */
function fromUser(req: PdRecordedRequest, state: PdState): FakePdUser | undefined {
  const from = String(req.headers.from ?? '').toLowerCase();
  return state.users.find((u) => u.email.toLowerCase() === from);
}

const ROUTES: Array<[string, RegExp, PdRoute]> = [
  [
    'GET',
    /^\/incidents\/([^/]+)\/notes$/,
    (_req, state, [id]) => {
      const incident = state.incidents.find((i) => i.id === id);
      if (!incident) return pdError(404, 'Not Found', 2100);
      return { status: 200, body: { notes: incident.notes ?? [] } };
    },
  ],
  [
    'POST',
    /^\/incidents\/([^/]+)\/notes$/,
    (req, state, [id]) => {
      const incident = state.incidents.find((i) => i.id === id);
      if (!incident) return pdError(404, 'Not Found', 2100);
      const user = fromUser(req, state);
      if (!user) return pdError(400, 'Invalid Input Provided', 2001, ['A valid From header is required']);
      const content = req.body?.note?.content;
      if (typeof content !== 'string' || content.length === 0) return pdError(400, 'Invalid Input Provided', 2001, ['Note content is required']);
      if (content.length > 25_000) return pdError(400, 'Invalid Input Provided', 2001, ['Note content is too long']);
      incident.notes ??= [];
      const note: FakePdNote = {
        id: `N${String(incident.notes.length + 1).padStart(6, '0')}`,
        content,
        user: { id: user.id, type: 'user_reference', summary: user.name },
        channel: { summary: 'The PagerDuty website or APIs' },
        created_at: new Date().toISOString(),
      };
      incident.notes.push(note);
      return { status: 201, body: { note } };
    },
  ],
  [
    'GET',
    /^\/incidents\/([^/]+)$/,
    (_req, state, [id]) => {
      const incident = state.incidents.find((i) => i.id === id);
      if (!incident) return pdError(404, 'Not Found', 2100);
      const { alerts: _a, notes: _n, ...rest } = incident;
      return { status: 200, body: { incident: { type: 'incident', ...rest } } };
    },
  ],
  [
    'PUT',
    /^\/incidents\/([^/]+)$/,
    (req, state, [id]) => {
      const incident = state.incidents.find((i) => i.id === id);
      if (!incident) return pdError(404, 'Not Found', 2100);
      if (!fromUser(req, state)) return pdError(400, 'Invalid Input Provided', 2001, ['A valid From header is required']);
      const body = req.body?.incident;
      if (body?.type !== 'incident_reference' && body?.type !== 'incident') return pdError(400, 'Invalid Input Provided', 2001, ['Incident type must be incident_reference']);
      if (!['acknowledged', 'resolved'].includes(body?.status)) return pdError(400, 'Invalid Input Provided', 2001, ['Status must be acknowledged or resolved']);
      if (incident.status === 'resolved') return pdError(400, 'Incident Already Resolved', 2002);
      incident.status = body.status;
      const { alerts: _a, notes: _n, ...rest } = incident;
      return { status: 200, body: { incident: { type: 'incident', ...rest } } };
    },
  ],
  [
    'GET',
    /^\/users\/me$/,
    (_req, state) => {
      const user = state.users.find((u) => u.id === state.tokenUser);
      if (!user) return pdError(400, 'Requested an entity that is only valid for user-level API keys', 2001);
      return { status: 200, body: { user: { type: 'user', ...user, summary: user.name } } };
    },
  ],
  [
    'GET',
    /^\/users$/,
    (req, state) => {
      const query = (req.query.get('query') ?? '').toLowerCase();
      const users = state.users.filter((u) => u.email.toLowerCase().includes(query) || u.name.toLowerCase().includes(query)).map((u) => ({ type: 'user', ...u, summary: u.name }));
      return { status: 200, body: { users, limit: 25, offset: 0, more: false, total: null } };
    },
  ],
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
  const state: PdState = { incidents: [], users: [FAKE_PD_AGENT, FAKE_PD_HUMAN], failNext: [], events: [], ...initial };
  const requests: PdRecordedRequest[] = [];
  const routes = [...ROUTES];
  const route = (recorded: PdRecordedRequest): { status: number; body?: unknown } => {
    if (recorded.path.startsWith('/v2/')) return eventsRoute(recorded, state);
    for (const [method, pattern, handler] of routes) {
      const m = pattern.exec(recorded.path);
      if (m && method === recorded.method) return handler(recorded, state, m.slice(1));
    }
    return { status: 404, body: { error: { message: `no route ${recorded.method} ${recorded.path}`, code: 2100 } } };
  };
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
      const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      const scripted = state.failNext.find((f) => f.times > 0 && (!f.match || f.match(recorded)));
      if (scripted) {
        scripted.times -= 1;
        if (scripted.afterWrite) route(recorded);
        return answer(scripted.status, { error: { message: scripted.status === 429 ? 'Too Many Requests' : 'fake failure', code: 2000 } }, scripted.retryAfter ? { 'retry-after': scripted.retryAfter } : {});
      }
      if (state.failWith) return answer(state.failWith, { error: { message: 'fake failure', code: 2000 } });
      // The Events API needs no token: the routing key in the body names the integration.
      if (url.pathname.startsWith('/v2/')) {
        if (req.method !== 'POST' || !['/v2/enqueue', '/v2/change/enqueue'].includes(url.pathname)) return answer(404, { status: 'not found' });
        const out = route(recorded);
        return answer(out.status, out.body);
      }
      if (req.headers.authorization !== `Token token=${token}`) return answer(401, { error: { message: 'Unauthorized', code: 2006 } });
      if (req.headers.accept !== 'application/vnd.pagerduty+json;version=2') return answer(406, { error: { message: 'Not Acceptable', code: 2000 } });
      const out = route(recorded);
      answer(out.status, out.body);
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
