import { describe, expect, it } from 'vitest';
import { candidatesFromTitle, extractTargetCandidates, selectorFrom } from '../../../backend/src/diagnose/target-candidates.js';

type Row = [string, string, Record<string, unknown>, Array<Record<string, unknown>>];

const rows: Row[] = [
  ['custom_details namespace + deployment', 'High latency', { namespace: 'shop', deployment: 'web' }, [{ namespace: 'shop', kind: 'Deployment', name: 'web', from: 'custom_details.deployment' }]],
  ['custom_details pod (keys are case-insensitive)', 'x', { Namespace: 'shop', Pod: 'web-7d9f-x2' }, [{ namespace: 'shop', kind: 'Pod', name: 'web-7d9f-x2', from: 'custom_details.Pod' }]],
  ['custom_details service', 'x', { namespace: 'shop', service: 'frontend' }, [{ namespace: 'shop', kind: 'Service', name: 'frontend', from: 'custom_details.service' }]],
  ['custom_details labels object → selector', 'x', { namespace: 'shop', labels: { app: 'web' } }, [{ namespace: 'shop', selector: 'app=web', from: 'custom_details.labels' }]],
  ['Alertmanager-style nested labels', 'x', { labels: { namespace: 'shop', deployment: 'web', severity: 'page' } }, [{ namespace: 'shop', kind: 'Deployment', name: 'web', from: 'custom_details.labels.deployment' }]],
  ['title deployment/abc with a namespace from details', 'deployment/api is failing', { namespace: 'pay' }, [{ namespace: 'pay', kind: 'Deployment', name: 'api', from: 'title: deployment/api' }, { namespace: 'pay', from: 'custom_details.namespace' }]],
  ['title ns/name', 'Error rate high for shop/web', {}, [{ namespace: 'shop', kind: 'Any', name: 'web', from: 'title: shop/web' }]],
  ['title pod xyz + namespace: x', 'pod web-1 restarting (namespace: shop)', {}, [{ namespace: 'shop', kind: 'Pod', name: 'web-1', from: 'title: pod web-1' }]],
  ['title in namespace x only', 'Too many restarts in namespace billing', {}, [{ namespace: 'billing', from: 'title: in namespace billing' }]],
  ['nothing usable', 'Disk almost full', { host: 'db-1' }, []],
  ['values that are not DNS names are dropped', 'x', { namespace: 'Shop; rm -rf /', deployment: '../etc' }, []],
];

describe('extractTargetCandidates', () => {
  it.each(rows)('%s', (_name, title, details, expected) => {
    expect(extractTargetCandidates({ title, details })).toEqual(expected);
  });

  it('does not read "pod in namespace" as a pod named "in"', () => {
    expect(candidatesFromTitle('a pod in namespace shop keeps failing')).toEqual([{ namespace: 'shop', from: 'title: in namespace shop' }]);
  });
});

describe('selectorFrom', () => {
  it.each([
    [{ app: 'web', tier: 'fe' }, 'app=web,tier=fe'],
    ['app=web, tier=fe', 'app=web,tier=fe'],
    ['app in (a,b)', undefined],
    ['app=web;rm', undefined],
    [42, undefined],
  ])('%j → %s', (input, expected) => expect(selectorFrom(input)).toBe(expected));
});
