// Job and CronJob alerts on kube-sim (job and cronjob controllers, kubelets running): kube-state-metrics' labels
// (job_name, cronjob, the scrape `job`) and titles resolve to the Job or CronJob, confirmed in the cluster, and the
// runbook diagnoses them as workloads: the failed run, its exit codes, the CronJob that made it. No write is proposed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseIncident } from '../../../backend/src/diagnose/index.js';
import { resolveTarget } from '../../../backend/src/diagnose/resolve-target.js';
import type { KubeObject } from '../../../backend/src/domain/kube.js';
import { eventually, kubectlFor, type Kubectl } from '../../helpers/kubectl.js';
import { baseDeps, incident, startHarness, type Harness } from './diagnose-harness.js';

let h: Harness;
let kubectl: Kubectl;
const NS = 'batch';

const failingPod = (command: string) => ({
  restartPolicy: 'Never',
  containers: [{ name: 'task', image: 'busybox:1.36', command: ['sh', '-c', command], resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
});
const failed = (j: KubeObject | undefined) => ((j?.status?.conditions ?? []) as Array<{ type: string; status: string }>).some((c) => c.type === 'Failed' && c.status === 'True');

beforeAll(async () => {
  h = await startHarness({ withoutControllers: false, nodes: 1, speed: 20 });
  kubectl = kubectlFor(h.sim.kubeconfigPath);
  await kubectl.ok(['create', 'namespace', NS]);
  const objects = [
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: NS }, spec: { backoffLimit: 1, template: { spec: failingPod('echo no schema; exit 3') } } },
    // Every simulated minute (3 s at speed 20); its runs fail with exit code 2.
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: NS }, spec: { schedule: '* * * * *', jobTemplate: { spec: { backoffLimit: 0, template: { spec: failingPod('echo bucket gone; exit 2') } } } } },
  ];
  for (const o of objects) await kubectl.ok(['apply', '-f', '-'], { input: JSON.stringify(o) });
  await eventually(async () => failed(await h.reader.get('Job', NS, 'migrate')) || undefined, 120_000);
  await eventually(async () => (await h.reader.list('Job', NS)).find((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob') && failed(j)), 120_000);
  // Stop new runs so the snapshot under test holds still.
  await kubectl.ok(['patch', 'cronjob/backup', '-n', NS, '--type=merge', '-p', '{"spec":{"suspend":true}}']);
}, 300_000);
afterAll(async () => {
  await h?.stop();
});

const cronRun = async () => (await h.reader.list('Job', NS)).find((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === 'backup') && failed(j))!;

describe('Job and CronJob alerts on kube-sim', () => {
  it('KubeJobFailed (job_name, the scrape job beside it) → the Job, BackoffLimitExceeded with its exit code, no write', async () => {
    const p = await diagnoseIncident(incident('[FIRING:1] KubeJobFailed', { alertname: 'KubeJobFailed', namespace: NS, job_name: 'migrate', job: 'kube-state-metrics' }), baseDeps(h.reader));
    expect(p.target).toMatchObject({ namespace: NS, kind: 'Job', name: 'migrate', resolvedFrom: 'custom_details.job_name' });
    expect(p.rootCause).toMatch(/^job migrate failed: BackoffLimitExceeded \(backoffLimit 1, 2 failed pod\(s\)\); its pods exit with code 3/);
    expect(p.actions).toEqual([]);
    expect(p.escalate).toMatchObject({ required: true, humanStep: expect.stringMatching(/delete job\/migrate -n batch and create it again/) });
  });

  it('KubeCronJob… (cronjob label) → the CronJob, diagnosed from its most recent failed run', async () => {
    const run = await cronRun();
    const p = await diagnoseIncident(incident('[FIRING:1] KubeCronJobFailing', { alertname: 'KubeCronJobFailing', namespace: NS, cronjob: 'backup', job: 'kube-state-metrics' }), baseDeps(h.reader));
    expect(p.target).toMatchObject({ namespace: NS, kind: 'CronJob', name: 'backup' });
    expect(p.rootCause).toMatch(new RegExp(`^job backup-\\d+ \\(a run of cronjob backup\\) failed: BackoffLimitExceeded .*exit with code 2`));
    expect(p.evidence.map((e) => e.fact).join('\n')).toContain(`job backup-`);
    expect(run.metadata.name).toMatch(/^backup-\d+$/);
    expect(p.actions).toEqual([]);
    expect(p.escalate.humanStep).toMatch(/fix cronjob backup's job template/);
  });

  it('a run of the CronJob (job_name) names the CronJob; a pod of that run resolves to its Job', async () => {
    const run = await cronRun();
    const name = run.metadata.name!;
    const byJob = await diagnoseIncident(incident('[FIRING:1] KubeJobFailed', { namespace: NS, job_name: name }), baseDeps(h.reader));
    expect(byJob.target).toMatchObject({ kind: 'Job', name });
    expect(byJob.rootCause).toMatch(new RegExp(`^job ${name} \\(a run of cronjob backup\\) failed`));
    const pod = (await h.reader.list('Pod', NS)).find((p) => p.metadata.ownerReferences?.some((o) => o.kind === 'Job' && o.name === name))!;
    const byPod = await resolveTarget({ title: 'KubePodNotReady', details: { namespace: NS, pod: pod.metadata.name } }, h.reader);
    expect(byPod.target).toMatchObject({ kind: 'Job', name });
  });

  it('a run that is gone resolves to the CronJob by its name; titles name jobs and cronjobs', async () => {
    expect((await resolveTarget({ title: 'KubeJobFailed', details: { namespace: NS, job_name: 'backup-12345678' } }, h.reader)).target).toMatchObject({ kind: 'CronJob', name: 'backup' });
    expect((await resolveTarget({ title: 'CronJob batch/backup is taking more than 1h to complete', details: {} }, h.reader)).target).toMatchObject({ kind: 'CronJob', name: 'backup', namespace: NS });
    expect((await resolveTarget({ title: 'Job failed: job/migrate in namespace batch', details: {} }, h.reader)).target).toMatchObject({ kind: 'Job', name: 'migrate', namespace: NS });
  });

  it('a scrape job label that names no Job leaves the namespace to stand in; a named Job that is gone does not', async () => {
    expect((await resolveTarget({ title: 'TargetDown', details: { namespace: NS, job: 'node-exporter' } }, h.reader)).target).toEqual({ namespace: NS, resolvedFrom: 'custom_details.namespace' });
    const gone = await resolveTarget({ title: 'KubeJobFailed', details: { namespace: NS, job_name: 'never-existed' } }, h.reader);
    expect(gone.target).toBeUndefined();
  });
});
