// Titles as the common alert sources write them when no PagerDuty API token fetches the alert's details: the words
// are matched against the cluster's namespaces, workloads and pods (kube-sim, real client-node reader). More than
// one match is never a guess.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../backend/src/diagnose/resolve-target.js';
import { titleTokens } from '../../../backend/src/diagnose/title-tokens.js';
import { seedWorkload } from '../../helpers/seed-workload.js';
import { startHarness, type Harness } from './diagnose-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ withoutControllers: true });
  seedWorkload(h.sim.store, { namespace: 'shop', name: 'web', revisions: [{ image: 'web:1', replicas: 1, podState: 'crashloop' }] });
  seedWorkload(h.sim.store, { namespace: 'shop', name: 'cart', revisions: [{ image: 'cart:1', replicas: 1, podState: 'ready' }] });
  seedWorkload(h.sim.store, { namespace: 'payments', name: 'ledger', revisions: [{ image: 'ledger:1', replicas: 1, podState: 'ready' }] });
});
afterAll(async () => {
  await h?.stop();
});

const webPod = () => h.sim.store.list('pods', 'shop').find((p) => p.metadata.name?.startsWith('web-'))!.metadata.name!;

describe('title words → target', () => {
  it('splits titles into candidate names, dropping template words and numbers', () => {
    expect(titleTokens('[FIRING:1] KubePodCrashLooping (app kube-state-metrics shop web-7d9f critical)')).toEqual([
      'kubepodcrashlooping',
      'app',
      'kube-state-metrics',
      'shop',
      'web-7d9f',
      'critical',
    ]);
  });

  const cases: Array<[string, () => string]> = [
    ["Alertmanager's default description: label values, a pod among them", () => `[FIRING:1] KubePodCrashLooping (app kube-state-metrics shop ${webPod()} critical)`],
    ['Grafana: group labels then common labels', () => `[FIRING:1] KubePodCrashLooping shop (${webPod()} warning)`],
    ['Datadog monitor title with template variables', () => '[Triggered] Crash loop on shop web'],
    ['a pod replaced since the alert fired: its ReplicaSet still names the Deployment', () => `[FIRING:1] KubePodNotReady (shop ${webPod().replace(/-[a-z0-9]+$/, '-zzzzz')})`],
  ];
  it.each(cases)('%s', async (_name, title) => {
    const r = await resolveTarget({ title: title(), details: {} }, h.reader);
    expect(r.target).toMatchObject({ namespace: 'shop', kind: 'Deployment', name: 'web' });
    expect(r.target?.resolvedFrom).toMatch(/title word/);
  });

  it('two workloads in the title: ambiguous, not guessed, and the reason names both', async () => {
    const r = await resolveTarget({ title: '[FIRING:2] KubePodCrashLooping (shop web cart)', details: {} }, h.reader);
    expect(r.target).toBeUndefined();
    expect(r.target === undefined && r.reason).toMatch(/ambiguous.*deployment shop\/(web|cart).*deployment shop\/(web|cart)|match 2 targets/);
  });

  it('no word is a namespace of the cluster: nothing resolved, and the reason says so', async () => {
    const r = await resolveTarget({ title: '[FIRING:1] KubePodCrashLooping (checkout frontend)', details: {} }, h.reader);
    expect(r.target).toBeUndefined();
    expect(r.target === undefined && r.reason).toMatch(/no title word is a namespace/);
  });

  it('only a namespace matches: the namespace is the target (as a bare namespace label would be)', async () => {
    const r = await resolveTarget({ title: '[FIRING:1] KubeQuotaAlmostFull (payments)', details: {} }, h.reader);
    expect(r.target).toMatchObject({ namespace: 'payments' });
    expect(r.target?.kind).toBeUndefined();
  });
});
