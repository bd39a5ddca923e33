// The PagerDuty REST reads through the real pdjs client against the fake PagerDuty server: enrichment from alert
// custom_details, list_related_alerts, and a PagerDuty outage that must not lose the incident.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPagerDutyRestClient } from '../../../backend/src/pagerduty/rest-client.js';
import { diagnoseIncident } from '../../../backend/src/diagnose/index.js';
import { runTool } from '../../../backend/src/tools/registry.js';
import { FAKE_PD_TOKEN, startFakePagerDuty, type FakePagerDutyServer } from '../../fakes/fake-pagerduty-server.js';
import { seedWorkload } from '../../helpers/seed-workload.js';
import { baseDeps, incident, startHarness, type Harness } from './diagnose-harness.js';

let h: Harness;
let pd: FakePagerDutyServer;

beforeAll(async () => {
  h = await startHarness();
  pd = await startFakePagerDuty({
    incidents: [
      {
        id: 'PINC001',
        title: 'High error rate',
        status: 'triggered',
        service: { id: 'PSVC001' },
        alerts: [{ id: 'A1', summary: 'errors', body: { type: 'alert_body', cef_details: { details: { namespace: 'pd', deployment: 'checkout' } } } }],
      },
      { id: 'PINC002', title: 'checkout latency', status: 'acknowledged', service: { id: 'PSVC001' } },
      { id: 'PINC003', title: 'old one', status: 'resolved', service: { id: 'PSVC001' } },
      { id: 'PINC004', title: 'other service', status: 'triggered', service: { id: 'PSVC999' } },
    ],
  });
  seedWorkload(h.sim.store, {
    namespace: 'pd',
    name: 'checkout',
    revisions: [
      { image: 'checkout:1', replicas: 1, podState: 'ready' },
      { image: 'checkout:2', replicas: 1, podState: 'crashloop' },
    ],
  });
});
afterAll(async () => {
  await pd?.close();
  await h?.stop();
});

const client = () => createPagerDutyRestClient({ PAGERDUTY_API_TOKEN: FAKE_PD_TOKEN, PAGERDUTY_API_URL: pd.url });

describe('PagerDuty enrichment and related alerts', () => {
  it('resolves the target from the alert custom_details fetched over REST', async () => {
    const p = await diagnoseIncident(incident('High error rate', {}, 'PINC001'), baseDeps(h.reader, { pagerDuty: client() }));
    expect(p.target).toMatchObject({ namespace: 'pd', kind: 'Deployment', name: 'checkout', resolvedFrom: 'custom_details.deployment' });
    expect(p.actions.map((a) => a.command)).toEqual(['kubectl rollout undo deployment/checkout -n pd']);
    const req = pd.requests.find((r) => r.path === '/incidents/PINC001/alerts');
    expect(req?.headers.authorization).toBe(`Token token=${FAKE_PD_TOKEN}`);
    expect(req?.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
  });

  it('lists other open incidents on the same service for list_related_alerts', async () => {
    const result = await runTool('list_related_alerts', {}, { reader: h.reader, incident: { id: 'PINC001', serviceId: 'PSVC001' }, relatedIncidents: client() });
    expect(result).toMatchObject({ status: 'success', data: { source: 'pagerduty', total: 1, incidents: [{ id: 'PINC002', status: 'acknowledged' }] } });
    const req = pd.requests.filter((r) => r.path === '/incidents').at(-1);
    expect(req?.query.getAll('service_ids[]')).toEqual(['PSVC001']);
    expect(req?.query.getAll('statuses[]')).toEqual(['triggered', 'acknowledged']);
  });

  it('falls back to active jobs for the same workload without PagerDuty', async () => {
    const activeJobs = {
      listActive: async () => [
        { incidentId: 'X1', namespace: 'pd', workload: 'checkout', title: 'checkout 5xx' },
        { incidentId: 'X2', namespace: 'other', workload: 'checkout' },
        { incidentId: 'SELF', namespace: 'pd', workload: 'checkout' },
      ],
    };
    const result = await runTool('list_related_alerts', {}, { reader: h.reader, incident: { id: 'SELF', namespace: 'pd', workload: 'checkout' }, activeJobs });
    expect(result).toMatchObject({ status: 'success', data: { source: 'queue', total: 1, jobs: [{ incidentId: 'X1' }] } });
  });

  it('proceeds with the webhook fields when PagerDuty fails', async () => {
    pd.state.failWith = 503;
    try {
      await expect(client().listIncidentAlerts('PINC001')).rejects.toThrow(/failed to list alerts of PagerDuty incident PINC001: HTTP 503/);
      const p = await diagnoseIncident(incident('checkout down: pd/checkout', {}, 'PINC001'), baseDeps(h.reader, { pagerDuty: client() }));
      expect(p.target?.name).toBe('checkout');
      expect(p.actions).toHaveLength(1);
    } finally {
      pd.state.failWith = undefined;
    }
  });

  it('escalates (never crashes) when PagerDuty is unreachable and the webhook names nothing', async () => {
    const dead = createPagerDutyRestClient({ PAGERDUTY_API_TOKEN: FAKE_PD_TOKEN, PAGERDUTY_API_URL: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    const p = await diagnoseIncident(incident('Something is wrong', {}, 'PINC001'), baseDeps(h.reader, { pagerDuty: dead }));
    expect(p.escalate.required).toBe(true);
    expect(p.actions).toEqual([]);
  });
});
