import { callWithRetry, DEFAULT_RETRY_BUDGET, PagerDutyCallError, type RetryBudget } from './call-with-retry.js';
import { callPdjs } from './pdjs-call.js';

/** A note as PagerDuty lists it (content untrusted: anyone on the incident can write one). */
export interface PagerDutyNote {
  id: string;
  content: string;
  userId?: string;
}

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

/** The PagerDuty REST writes the agent makes, and the reads they need. The only importer of pdjs is this folder. */
export interface PagerDutyWriter {
  /** POST /incidents/{id}/notes (From header). */
  addNote(incidentId: string, content: string, signal?: AbortSignal): Promise<{ id: string }>;
  /** GET /incidents/{id}/notes: to find a note an earlier attempt posted but never heard back about. */
  listNotes(incidentId: string, signal?: AbortSignal): Promise<PagerDutyNote[]>;
  /** GET /incidents/{id}: its current status. */
  getIncidentStatus(incidentId: string, signal?: AbortSignal): Promise<IncidentStatus | string>;
  /** PUT /incidents/{id} with status acknowledged or resolved (From header). */
  updateStatus(incidentId: string, status: 'acknowledged' | 'resolved', signal?: AbortSignal): Promise<void>;
  /**
   * The PagerDuty user the agent acts as: GET /users/me for a user token; for an account token (which /users/me
   * refuses) the user whose email is the From address. Used to tell the agent's own acknowledgements from a human's.
   */
  getOwnUser(signal?: AbortSignal): Promise<{ id: string; email?: string }>;
}

export interface PagerDutyWriterSettings {
  token: string;
  /** PAGERDUTY_FROM_EMAIL. */
  fromEmail: string;
  /** PAGERDUTY_API_URL; default https://api.pagerduty.com. */
  apiUrl?: string;
  /** Per request. */
  timeoutMs?: number;
  retry?: RetryBudget;
}

export function createPagerDutyWriter(settings: PagerDutyWriterSettings): PagerDutyWriter {
  const base = (settings.apiUrl ?? 'https://api.pagerduty.com').replace(/\/+$/, '');
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const budget = settings.retry ?? DEFAULT_RETRY_BUDGET;
  const id = (incidentId: string) => encodeURIComponent(incidentId);

  const call = async (what: string, method: 'GET' | 'POST' | 'PUT', path: string, data?: Record<string, unknown>, signal?: AbortSignal) => {
    const answer = await callWithRetry(
      what,
      (s) => callPdjs({ token: settings.token, url: `${base}${path}`, method, data, from: method === 'GET' ? undefined : settings.fromEmail, timeoutMs, signal: s }),
      budget,
      signal,
    );
    return (answer.data ?? {}) as Record<string, unknown>;
  };

  return {
    async addNote(incidentId, content, signal) {
      const data = await call(`add a note to PagerDuty incident ${incidentId}`, 'POST', `/incidents/${id(incidentId)}/notes`, { note: { content } }, signal);
      const note = (data.note ?? {}) as Record<string, unknown>;
      return { id: String(note.id ?? '') };
    },
    async listNotes(incidentId, signal) {
      const data = await call(`list the notes of PagerDuty incident ${incidentId}`, 'GET', `/incidents/${id(incidentId)}/notes`, undefined, signal);
      const notes = Array.isArray(data.notes) ? (data.notes as Array<Record<string, unknown>>) : [];
      return notes.map((n) => ({
        id: String(n.id ?? ''),
        content: typeof n.content === 'string' ? n.content : '',
        userId: typeof (n.user as { id?: unknown } | undefined)?.id === 'string' ? (n.user as { id: string }).id : undefined,
      }));
    },
    async getIncidentStatus(incidentId, signal) {
      const data = await call(`read PagerDuty incident ${incidentId}`, 'GET', `/incidents/${id(incidentId)}`, undefined, signal);
      return String((data.incident as { status?: unknown } | undefined)?.status ?? 'unknown');
    },
    async updateStatus(incidentId, status, signal) {
      const verb = status === 'resolved' ? 'resolve' : 'acknowledge';
      await call(`${verb} PagerDuty incident ${incidentId}`, 'PUT', `/incidents/${id(incidentId)}`, { incident: { type: 'incident_reference', status } }, signal);
    },
    async getOwnUser(signal) {
      try {
        const data = await call('read the agent\'s own PagerDuty user', 'GET', '/users/me', undefined, signal);
        const user = (data.user ?? {}) as Record<string, unknown>;
        if (typeof user.id === 'string' && user.id) return { id: user.id, email: typeof user.email === 'string' ? user.email : undefined };
      } catch (error) {
        // An account-level token gets 400 here ("only valid for user-level API keys"): fall back to the From user.
        if (!(error instanceof PagerDutyCallError) || error.retryable) throw error;
      }
      const data = await call(`find the PagerDuty user ${settings.fromEmail}`, 'GET', '/users', { query: settings.fromEmail, limit: '25' }, signal);
      const users = Array.isArray(data.users) ? (data.users as Array<Record<string, unknown>>) : [];
      const wanted = settings.fromEmail.toLowerCase();
      const match = users.find((u) => typeof u.email === 'string' && u.email.toLowerCase() === wanted);
      if (!match || typeof match.id !== 'string') {
        throw new PagerDutyCallError(`failed to find the PagerDuty user ${settings.fromEmail}`, 404, false, 'PAGERDUTY_FROM_EMAIL must be the email of a user in this PagerDuty account');
      }
      return { id: match.id, email: settings.fromEmail };
    },
  };
}
