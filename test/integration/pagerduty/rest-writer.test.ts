import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PagerDutyCallError } from '../../../backend/src/pagerduty/call-with-retry.js';
import { createPagerDutyWriter, type PagerDutyWriter } from '../../../backend/src/pagerduty/rest-writer.js';
import { FAKE_PD_AGENT, FAKE_PD_HUMAN, FAKE_PD_TOKEN, startFakePagerDuty, type FakePagerDutyServer } from '../../fakes/fake-pagerduty-server.js';

// The REST writer through the real pdjs against the fake PagerDuty on loopback: wire format, From header, and retries.

let pd: FakePagerDutyServer;
let writer: PagerDutyWriter;
const fastRetry = { maxTotalMs: 3_000, baseDelayMs: 20, maxDelayMs: 100 };

beforeEach(async () => {
  pd = await startFakePagerDuty({ incidents: [{ id: 'PINC1', title: 'web down', status: 'triggered', service: { id: 'PSVC1' } }] });
  writer = createPagerDutyWriter({ token: FAKE_PD_TOKEN, fromEmail: FAKE_PD_AGENT.email, apiUrl: pd.url, retry: fastRetry, timeoutMs: 2_000 });
});
afterEach(async () => pd.close());

const writes = () => pd.requests.filter((r) => r.method !== 'GET');

describe('PagerDuty REST writer', () => {
  it('posts a note with the From header, the v2 Accept header and a { note: { content } } body', async () => {
    const { id } = await writer.addNote('PINC1', 'first line\nsecond line');
    expect(id).toMatch(/^N/);
    const [req] = writes();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/incidents/PINC1/notes');
    expect(req.headers.from).toBe(FAKE_PD_AGENT.email);
    expect(req.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
    expect(req.headers.authorization).toBe(`Token token=${FAKE_PD_TOKEN}`);
    expect(req.body).toEqual({ note: { content: 'first line\nsecond line' } });
    const notes = await writer.listNotes('PINC1');
    expect(notes).toEqual([{ id, content: 'first line\nsecond line', userId: FAKE_PD_AGENT.id }]);
  });

  it('acknowledges and resolves with PUT /incidents/{id} and an incident_reference body', async () => {
    await writer.updateStatus('PINC1', 'acknowledged');
    expect(await writer.getIncidentStatus('PINC1')).toBe('acknowledged');
    await writer.updateStatus('PINC1', 'resolved');
    expect(await writer.getIncidentStatus('PINC1')).toBe('resolved');
    const puts = writes().filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.body)).toEqual([
      { incident: { type: 'incident_reference', status: 'acknowledged' } },
      { incident: { type: 'incident_reference', status: 'resolved' } },
    ]);
    expect(puts.every((r) => r.headers.from === FAKE_PD_AGENT.email && r.path === '/incidents/PINC1')).toBe(true);
  });

  it('retries a 429 (once) and then succeeds, posting the note exactly once', async () => {
    pd.state.failNext.push({ status: 429, times: 1, retryAfter: '0', match: (r) => r.method === 'POST' });
    await writer.addNote('PINC1', 'after a rate limit');
    expect(pd.state.incidents[0].notes).toHaveLength(1);
    expect(writes()).toHaveLength(2);
  });

  it('retries 500s for a while, then succeeds within the budget', async () => {
    pd.state.failNext.push({ status: 500, times: 3 });
    await writer.addNote('PINC1', 'after an outage');
    expect(pd.state.incidents[0].notes).toHaveLength(1);
    expect(writes().length).toBe(4);
  });

  it('gives up on 5xx once the time budget is spent, with a retryable error', async () => {
    pd.state.failWith = 503;
    const error = await writer.addNote('PINC1', 'never').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PagerDutyCallError);
    expect((error as PagerDutyCallError).retryable).toBe(true);
    expect((error as Error).message).toMatch(/HTTP 503.*gave up after \d+ tries/);
  });

  it('does not retry a 4xx: an unknown incident fails at once and says so', async () => {
    const error = await writer.addNote('PNOPE', 'x').catch((e: unknown) => e);
    expect((error as PagerDutyCallError).retryable).toBe(false);
    expect((error as PagerDutyCallError).status).toBe(404);
    expect(writes()).toHaveLength(1);
  });

  it('a From address that is no user of the account is refused by PagerDuty, not retried', async () => {
    const stranger = createPagerDutyWriter({ token: FAKE_PD_TOKEN, fromEmail: 'nobody@example.com', apiUrl: pd.url, retry: fastRetry });
    const error = await stranger.addNote('PINC1', 'x').catch((e: unknown) => e);
    expect((error as PagerDutyCallError).status).toBe(400);
    expect((error as Error).message).toMatch(/From header/);
  });

  it('finds its own user with /users/me for a user token, and by the From email for an account token', async () => {
    pd.state.tokenUser = FAKE_PD_AGENT.id;
    expect(await writer.getOwnUser()).toEqual({ id: FAKE_PD_AGENT.id, email: FAKE_PD_AGENT.email });
    pd.state.tokenUser = undefined;
    expect((await writer.getOwnUser()).id).toBe(FAKE_PD_AGENT.id);
    const human = createPagerDutyWriter({ token: FAKE_PD_TOKEN, fromEmail: FAKE_PD_HUMAN.email.toUpperCase(), apiUrl: pd.url, retry: fastRetry });
    expect((await human.getOwnUser()).id).toBe(FAKE_PD_HUMAN.id);
  });

  it('a wrong token is a 401 with a hint naming PAGERDUTY_API_TOKEN', async () => {
    const bad = createPagerDutyWriter({ token: 'wrong', fromEmail: FAKE_PD_AGENT.email, apiUrl: pd.url, retry: fastRetry });
    const error = (await bad.addNote('PINC1', 'x').catch((e: unknown) => e)) as PagerDutyCallError;
    expect(error.status).toBe(401);
    expect(error.hint).toMatch(/PAGERDUTY_API_TOKEN/);
  });
});
