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
});
