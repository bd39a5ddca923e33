// Target candidates from the alert shapes real users send: Alertmanager through PagerDuty Events v2 (labels as
// custom_details keys, nested, or only inside the `firing` text), Datadog tags, and V3 webhook titles alone.
import { describe, expect, it } from 'vitest';
import { extractTargetCandidates } from '../../../backend/src/diagnose/target-candidates.js';
import { labelsFromAlertmanagerText, labelsFromTags } from '../../../backend/src/diagnose/alert-label-sources.js';

const FIRING = `Labels:
 - alertname = KubePodCrashLooping
 - container = app
 - namespace = shop
 - pod = web-7d9c8b5f4-x2x9z
 - severity = warning
Annotations:
 - description = Pod shop/web-7d9c8b5f4-x2x9z (app) is in waiting state (reason: "CrashLoopBackOff").
Source: http://prometheus/graph
Labels:
 - alertname = KubePodCrashLooping
 - namespace = other
 - pod = api-1
`;

type Row = [string, string, Record<string, unknown>, Record<string, unknown> | undefined];

// The first candidate each alert yields (the one resolve-target tries first).
const rows: Row[] = [
  ['Alertmanager default details: labels only in the firing text', '[FIRING:1] KubePodCrashLooping (app shop web-7d9c8b5f4-x2x9z warning)', { firing: FIRING, num_firing: '1' }, { namespace: 'shop', kind: 'Pod', name: 'web-7d9c8b5f4-x2x9z', from: 'custom_details.firing labels.pod' }],
  ['kubernetes_namespace + kubernetes_pod_name', 'x', { kubernetes_namespace: 'shop', kubernetes_pod_name: 'web-1' }, { namespace: 'shop', kind: 'Pod', name: 'web-1' }],
  ['exported_namespace wins over the exporter namespace', 'x', { namespace: 'monitoring', exported_namespace: 'shop', deployment: 'web' }, { namespace: 'shop', kind: 'Deployment', name: 'web' }],
  ['statefulset label', 'KubeStatefulSetReplicasMismatch', { namespace: 'db', statefulset: 'pg' }, { namespace: 'db', kind: 'StatefulSet', name: 'pg' }],
  ['daemonset label', 'KubeDaemonSetRolloutStuck', { namespace: 'kube-system', daemonset: 'fluentd' }, { namespace: 'kube-system', kind: 'DaemonSet', name: 'fluentd' }],
  ['job_name label → the Job', 'KubeJobFailed', { namespace: 'batch', job_name: 'nightly-123', job: 'kube-state-metrics' }, { namespace: 'batch', kind: 'Job', name: 'nightly-123', from: 'custom_details.job_name' }],
  ['cronjob label → the CronJob', 'KubeCronJobRunning', { namespace: 'batch', cronjob: 'nightly', job: 'kube-state-metrics' }, { namespace: 'batch', kind: 'CronJob', name: 'nightly', from: 'custom_details.cronjob' }],
  ['only the scrape job label: a weak Job reading', 'KubeletDown', { namespace: 'monitoring', job: 'kubelet' }, { namespace: 'monitoring', kind: 'Job', name: 'kubelet', weak: true }],
  ['"cronjob/x" in a title', 'CronJob batch/nightly has been running for too long: cronjob/nightly', {}, { namespace: 'batch', kind: 'CronJob', name: 'nightly' }],
  ['"Job ns/name failed" (KubeJobFailed description)', 'Job batch/nightly-123 failed to complete.', {}, { namespace: 'batch', kind: 'Job', name: 'nightly-123' }],
  ['node label alone', 'KubeNodeNotReady', { node: 'node-3' }, { kind: 'Node', name: 'node-3' }],
  ['pod + node labels: the pod wins', 'x', { namespace: 'shop', pod: 'web-1', node: 'node-3' }, { namespace: 'shop', kind: 'Pod', name: 'web-1' }],
  ['TargetDown: service + namespace', 'TargetDown', { namespace: 'shop', service: 'web', job: 'web' }, { namespace: 'shop', kind: 'Service', name: 'web' }],
  ['Datadog tags array', 'High CPU', { tags: ['env:prod', 'kube_namespace:shop', 'kube_deployment:web'] }, { namespace: 'shop', kind: 'Deployment', name: 'web', from: 'custom_details.tags.kube_deployment' }],
  ['Datadog tags string', 'High CPU', { tags: 'kube_namespace:shop,kube_deployment:web' }, { namespace: 'shop', kind: 'Deployment', name: 'web' }],
  ['Datadog tags in the title', '[Triggered on {kube_deployment:web,kube_namespace:shop}] Pods restarting', {}, { namespace: 'shop', kind: 'Deployment', name: 'web' }],
  ['[FIRING:1] title with ns/pod', '[FIRING:1] KubePodCrashLooping shop/web-7d9c8b5f4-x2x9z', {}, { namespace: 'shop', kind: 'Any', name: 'web-7d9c8b5f4-x2x9z' }],
  ['"Pod ns/name is crash looping" is a pod in ns, not a pod named ns', 'Pod shop/web-abc is crash looping', {}, { namespace: 'shop', kind: 'Pod', name: 'web-abc', from: 'title: Pod shop/web-abc' }],
  ['KubeDeploymentReplicasMismatch description', 'Deployment shop/web has not matched the expected number of replicas for longer than 15 minutes.', {}, { namespace: 'shop', kind: 'Deployment', name: 'web' }],
  ['prose title', 'deployment web in namespace shop has 0 available replicas', {}, { namespace: 'shop', kind: 'Deployment', name: 'web' }],
  ['KubeContainerWaiting description', 'pod/web-abc in namespace shop on container app has been in waiting state for longer than 1 hour.', {}, { namespace: 'shop', kind: 'Pod', name: 'web-abc' }],
  ['"StatefulSet db/pg" title', 'StatefulSet db/pg has not matched the expected number of replicas', {}, { namespace: 'db', kind: 'StatefulSet', name: 'pg' }],
  ['key=value title (Grafana style)', '[FIRING:1] HighErrorRate (namespace=shop, deployment=web)', {}, { namespace: 'shop', kind: 'Deployment', name: 'web' }],
  ['"Pod: name" title with a namespace: field', 'Pod: web-abc crash looping, namespace: shop', {}, { namespace: 'shop', kind: 'Pod', name: 'web-abc' }],
  ['prose words after a kind are not names', 'Pods are pending in namespace shop', {}, { namespace: 'shop' }],
];

describe('target candidates from real alert shapes', () => {
  it.each(rows)('%s', (_name, title, details, first) => {
    const [candidate] = extractTargetCandidates({ title, details });
    if (first === undefined) expect(candidate).toBeUndefined();
    else expect(candidate).toMatchObject(first);
  });

  it('a scrape job label never hides the namespace: the bare namespace follows the weak Job reading', () => {
    expect(extractTargetCandidates({ title: 'x', details: { namespace: 'monitoring', job: 'kubelet' } }).map((c) => [c.kind, c.name, c.weak])).toEqual([
      ['Job', 'kubelet', true],
      [undefined, undefined, undefined],
    ]);
  });

  it('"Pod shop/web-abc" does not also yield a pod named "shop"', () => {
    expect(extractTargetCandidates({ title: 'Pod shop/web-abc is crash looping', details: {} }).map((c) => c.name)).toEqual(['web-abc']);
  });
});

describe('alert label sources', () => {
  it('reads only the first alert of the firing text', () => {
    expect(labelsFromAlertmanagerText(FIRING)).toEqual({ alertname: 'KubePodCrashLooping', container: 'app', namespace: 'shop', pod: 'web-7d9c8b5f4-x2x9z', severity: 'warning' });
    expect(labelsFromAlertmanagerText('no labels here')).toBeUndefined();
    expect(labelsFromAlertmanagerText(42)).toBeUndefined();
  });

  it('reads key:value tags and ignores the rest', () => {
    expect(labelsFromTags(['kube_namespace:shop', 'bare', 7])).toEqual({ kube_namespace: 'shop' });
    expect(labelsFromTags({})).toBeUndefined();
  });
});
