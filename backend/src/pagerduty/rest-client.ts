import { api } from '@pagerduty/pdjs';

type APIResponse = Response & { data: unknown };
import { TransientError } from '../domain/errors.js';

/** An alert of a PagerDuty incident, reduced to what diagnosis reads. Untrusted. */
export interface PagerDutyAlert {
  id: string;
  summary?: string;
  /** The Events v2 custom_details (alert body `details`, or `cef_details.details`). */
  details: Record<string, unknown>;
}

export interface OpenIncidentSummary {
  id: string;
  title: string;
  status: string;
  urgency?: string;
  createdAt?: string;
}

/** The PagerDuty REST reads diagnosis needs (the only importer of @pagerduty/pdjs). */
export interface PagerDutyRestClient {
  listIncidentAlerts(incidentId: string, signal?: AbortSignal): Promise<PagerDutyAlert[]>;
  /** Triggered and acknowledged incidents on one service. */
  listOpenIncidents(serviceId: string, signal?: AbortSignal): Promise<OpenIncidentSummary[]>;
}

export interface PagerDutyRestSettings {
  PAGERDUTY_API_TOKEN: string;
  /** Default https://api.pagerduty.com; tests point it at the fake server. */
  PAGERDUTY_API_URL?: string;
  timeoutMs?: number;
}

const MAX_ITEMS = 100;

export function createPagerDutyRestClient(settings: PagerDutyRestSettings): PagerDutyRestClient {
  const base = (settings.PAGERDUTY_API_URL ?? 'https://api.pagerduty.com').replace(/\/+$/, '');
  const timeoutMs = settings.timeoutMs ?? 10_000;

  // pdjs's `server` option always means https://<host>; a full `url` lets us reach any base (proxy, fake server).
  async function get(path: string, what: string, query: Record<string, string | string[]>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: APIResponse;
    try {
      response = (await api({
        token: settings.PAGERDUTY_API_TOKEN,
        url: `${base}${path}`,
        method: 'GET',
        data: query,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        // pdjs retries 429s itself after retryTimeout; keep that short so a job never stalls for a minute.
        retryTimeout: 1_000,
      })) as APIResponse;
    } catch (error) {
      const status = (error as { status?: number })?.status;
      throw new TransientError(`failed to ${what}: ${status ? `HTTP ${status} (unreadable body)` : ((error as Error)?.message ?? String(error))}`, 'check PAGERDUTY_API_URL and network access to PagerDuty', { cause: error });
    }
    if (!response.ok) {
      const message = (response.data as { error?: { message?: string } } | undefined)?.error?.message;
      throw new TransientError(`failed to ${what}: HTTP ${response.status}${message ? ` ${message}` : ''}`, response.status === 401 ? 'check PAGERDUTY_API_TOKEN' : undefined);
    }
    return (response.data ?? {}) as Record<string, unknown>;
  }

  return {
    async listIncidentAlerts(incidentId, signal) {
      const data = await get(`/incidents/${encodeURIComponent(incidentId)}/alerts`, `list alerts of PagerDuty incident ${incidentId}`, { limit: String(MAX_ITEMS) }, signal);
      const alerts = Array.isArray(data.alerts) ? (data.alerts as Array<Record<string, unknown>>) : [];
      return alerts.slice(0, MAX_ITEMS).map((a) => ({ id: String(a.id ?? ''), summary: typeof a.summary === 'string' ? a.summary : undefined, details: detailsOf(a.body) }));
    },
    async listOpenIncidents(serviceId, signal) {
      const data = await get(
        '/incidents',
        `list open PagerDuty incidents of service ${serviceId}`,
        { 'service_ids[]': [serviceId], 'statuses[]': ['triggered', 'acknowledged'], limit: String(MAX_ITEMS) },
        signal,
      );
      const incidents = Array.isArray(data.incidents) ? (data.incidents as Array<Record<string, unknown>>) : [];
      return incidents.slice(0, MAX_ITEMS).map((i) => ({
        id: String(i.id ?? ''),
        title: String(i.title ?? i.summary ?? ''),
        status: String(i.status ?? ''),
        urgency: typeof i.urgency === 'string' ? i.urgency : undefined,
        createdAt: typeof i.created_at === 'string' ? i.created_at : undefined,
      }));
    },
  };
}

/** Events v2 custom_details live in body.details, or body.cef_details.details for CEF-normalised alerts. */
export function detailsOf(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>;
  const cef = b.cef_details as Record<string, unknown> | undefined;
  const candidates = [b.details, cef?.details];
  for (const c of candidates) {
    if (c && typeof c === 'object' && !Array.isArray(c)) return c as Record<string, unknown>;
  }
  // Some integrations put a JSON string in details.
  for (const c of candidates) {
    if (typeof c === 'string') {
      try {
        const parsed = JSON.parse(c) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
      } catch {
        return { text: c };
      }
    }
  }
  return {};
}
