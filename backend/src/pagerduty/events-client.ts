import { callWithRetry, DEFAULT_RETRY_BUDGET, type HttpAnswer, type RetryBudget } from './call-with-retry.js';

// PagerDuty Events API v2: alert events (trigger / acknowledge / resolve, keyed by routing_key + dedup_key) and change
// events. pdjs's event helpers always post to https://<server>, so no proxy, plain-HTTP fake or regional base URL
// could be reached; this client speaks the same wire format with fetch and a configurable base URL.

export type EventSeverity = 'critical' | 'error' | 'warning' | 'info';

export interface EventLink {
  href: string;
  text?: string;
}

/** A trigger: opens an alert (and usually an incident) on the service behind the routing key. */
export interface TriggerEvent {
  /** Groups events into one alert; later acknowledge/resolve events name it. At most 255 characters. */
  dedupKey: string;
  summary: string;
  source: string;
  severity: EventSeverity;
  component?: string;
  group?: string;
  class?: string;
  customDetails?: Record<string, unknown>;
  links?: EventLink[];
  timestamp?: string;
}

/** A change event: shows on the service's timeline, never pages anyone. */
export interface ChangeEvent {
  summary: string;
  source?: string;
  timestamp: string;
  customDetails?: Record<string, unknown>;
  links?: EventLink[];
}

export interface EventsClient {
  trigger(event: TriggerEvent, signal?: AbortSignal): Promise<{ dedupKey: string }>;
  acknowledge(dedupKey: string, signal?: AbortSignal): Promise<void>;
  resolve(dedupKey: string, signal?: AbortSignal): Promise<void>;
  change(event: ChangeEvent, signal?: AbortSignal): Promise<void>;
}

export interface EventsClientSettings {
  /** The integration key of an Events API v2 integration (PAGERDUTY_ROUTING_KEY). */
  routingKey: string;
  /** PAGERDUTY_EVENTS_URL; default https://events.pagerduty.com. */
  eventsUrl?: string;
  timeoutMs?: number;
  retry?: RetryBudget;
  /** Shown in PagerDuty as the event's client. */
  clientName?: string;
  clientUrl?: string;
}

/** PagerDuty truncates longer summaries; keep them within its limit ourselves so nothing important is cut. */
const MAX_SUMMARY = 1_024;
const MAX_DEDUP_KEY = 255;

export function createEventsClient(settings: EventsClientSettings): EventsClient {
  const base = (settings.eventsUrl ?? 'https://events.pagerduty.com').replace(/\/+$/, '');
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const budget = settings.retry ?? DEFAULT_RETRY_BUDGET;
  const client = settings.clientName ?? 'oncall-agent';

  const post = async (what: string, path: string, body: Record<string, unknown>, signal?: AbortSignal) => {
    const answer = await callWithRetry(what, (s) => postJson(`${base}${path}`, body, timeoutMs, s), budget, signal);
    return (answer.data ?? {}) as Record<string, unknown>;
  };
  const alertAction = async (action: 'acknowledge' | 'resolve', dedupKey: string, signal?: AbortSignal) => {
    await post(`${action} the PagerDuty alert ${dedupKey}`, '/v2/enqueue', { routing_key: settings.routingKey, event_action: action, dedup_key: checkDedupKey(dedupKey) }, signal);
  };

  return {
    async trigger(event, signal) {
      const body = {
        routing_key: settings.routingKey,
        event_action: 'trigger',
        dedup_key: checkDedupKey(event.dedupKey),
        payload: {
          summary: event.summary.slice(0, MAX_SUMMARY),
          source: event.source,
          severity: event.severity,
          ...(event.timestamp ? { timestamp: event.timestamp } : {}),
          ...(event.component ? { component: event.component } : {}),
          ...(event.group ? { group: event.group } : {}),
          ...(event.class ? { class: event.class } : {}),
          ...(event.customDetails ? { custom_details: event.customDetails } : {}),
        },
        ...(event.links?.length ? { links: event.links } : {}),
        client,
        ...(settings.clientUrl ? { client_url: settings.clientUrl } : {}),
      };
      const data = await post(`trigger a PagerDuty alert ${event.dedupKey}`, '/v2/enqueue', body, signal);
      return { dedupKey: typeof data.dedup_key === 'string' ? data.dedup_key : event.dedupKey };
    },
    acknowledge: (dedupKey, signal) => alertAction('acknowledge', dedupKey, signal),
    resolve: (dedupKey, signal) => alertAction('resolve', dedupKey, signal),
    async change(event, signal) {
      const body = {
        routing_key: settings.routingKey,
        payload: {
          summary: event.summary.slice(0, MAX_SUMMARY),
          timestamp: event.timestamp,
          ...(event.source ? { source: event.source } : {}),
          ...(event.customDetails ? { custom_details: event.customDetails } : {}),
        },
        ...(event.links?.length ? { links: event.links } : {}),
      };
      await post('send a PagerDuty change event', '/v2/change/enqueue', body, signal);
    },
  };
}

function checkDedupKey(key: string): string {
  if (key.length === 0 || key.length > MAX_DEDUP_KEY) throw new RangeError(`dedup_key must be 1 to ${MAX_DEDUP_KEY} characters, got ${key.length}`);
  return key;
}

async function postJson(url: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  // The Events API reports errors as { status, message, errors: [...] }; shape them like REST errors for one message path.
  const events = data as { message?: string; errors?: unknown } | undefined;
  const shaped = response.ok || !events?.message ? data : { error: { message: events.message, errors: events.errors } };
  return { status: response.status, data: shaped, retryAfter: response.headers.get('retry-after') };
}
