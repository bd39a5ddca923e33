import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../backend/src/observability/metrics.js';
import { createInProcessQueue } from '../../../backend/src/queue/index.js';

describe('metric series exported before the first delivery', () => {
  it('oncall_webhook_deliveries_total has every outcome and oncall_jobs_total every state, at 0', async () => {
    const metrics = createMetrics();
    await createInProcessQueue({ retry: { attempts: 1, backoffMs: 10 }, metrics }).close();
    const text = await metrics.registry.metrics();
    for (const outcome of ['accepted', 'duplicate', 'ignored', 'unauthorized', 'invalid', 'unavailable']) {
      expect(text).toContain(`oncall_webhook_deliveries_total{outcome="${outcome}"} 0`);
    }
    for (const state of ['added', 'duplicate', 'active', 'completed', 'retrying', 'failed']) {
      expect(text).toContain(`oncall_jobs_total{queue="incidents",state="${state}"} 0`);
    }
  });

  it('oncall_incident_outcomes_total has every outcome, mode and analyzer, and the timing histograms every mode and analyzer, at 0', async () => {
    const text = await createMetrics().registry.metrics();
    for (const outcome of ['fixed', 'rolled_back', 'escalated', 'awaiting_approval', 'previewed', 'refused', 'no_action']) {
      for (const mode of ['yolo', 'approval', 'plan']) {
        for (const analyzer of ['runbook', 'claude', 'none']) expect(text).toContain(`oncall_incident_outcomes_total{outcome="${outcome}",mode="${mode}",analyzer="${analyzer}"} 0`);
      }
    }
    for (const name of ['time_to_decision', 'time_to_first_write', 'time_to_verified_fix']) {
      expect(text).toContain(`oncall_incident_${name}_seconds_count{mode="yolo",analyzer="runbook"} 0`);
    }
  });
});
