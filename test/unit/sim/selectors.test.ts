import { describe, expect, it } from 'vitest';
import { fieldsMatch, labelsMatch, matchesSelector, parseFieldSelector, parseLabelSelector, selectorToString, checkFieldSelector } from '../../../chaos/sim/api/selectors.js';
import { quotaUsed } from '../../../chaos/sim/api/admission/quota.js';
import { SimApiError } from '../../../chaos/sim/store/errors.js';
import type { SimObject } from '../../../chaos/sim/store/types.js';

const labels = { app: 'web', tier: 'front', track: 'stable' };

describe('label selectors', () => {
  it.each([
    ['app=web', true],
    ['app==web,tier=front', true],
    ['app!=web', false],
    ['app in (web, api)', true],
    ['app notin (web)', false],
    ['tier', true],
    ['!tier', false],
    ['!missing,app', true],
    ['env in (prod),app=web', false],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(labelsMatch(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('rejects garbage with a 400', () => {
    expect(() => parseLabelSelector('app=(x')).toThrow(SimApiError);
  });

  it('prints metav1.LabelSelectors sorted by key like the real server', () => {
    expect(
      selectorToString({ matchLabels: { b: '1', a: '2' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['y', 'x'] }, { key: 'aa', operator: 'DoesNotExist' }] }),
    ).toBe('a=2,!aa,b=1,c in (x,y)');
  });
});

describe('field selectors', () => {
  const pod = { metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'node-1' }, status: { phase: 'Running' } } as unknown as SimObject;
  it.each([
    ['metadata.name=p', true],
    ['spec.nodeName==node-1,status.phase=Running', true],
    ['status.phase!=Running', false],
    ['metadata.namespace=other', false],
    ['spec.nodeName=', false],
  ])('%s → %s', (selector, expected) => {
    expect(fieldsMatch(parseFieldSelector(selector), pod)).toBe(expected);
  });

  it('only the indexed fields are accepted, as on the real server', () => {
    expect(() => checkFieldSelector('pods', parseFieldSelector('spec.image=x'))).toThrow('field label not supported: spec.image');
    expect(() => checkFieldSelector('events', parseFieldSelector('involvedObject.name=p,reason=BackOff'))).not.toThrow();
  });
});

describe('metav1.LabelSelector matching (one engine for the API server and the controllers)', () => {
  it.each([
    ['missing selector matches nothing', undefined, false],
    ['empty selector matches everything', {}, true],
    ['matchLabels', { matchLabels: { app: 'web' } }, true],
    ['matchLabels mismatch', { matchLabels: { app: 'db' } }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    ['NotIn', { matchExpressions: [{ key: 'track', operator: 'NotIn', values: ['stable'] }] }, false],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, true],
    ['unknown operator matches nothing', { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, false],
  ])('%s', (_name, selector, expected) => {
    expect(matchesSelector(selector, labels)).toBe(expected);
  });
});

describe('quota usage (shared by admission and the resourcequota controller)', () => {
  const pod = (name: string, cpu: string | undefined, phase = 'Running') =>
    ({ metadata: { name }, spec: { containers: [{ name: 'c', resources: cpu ? { requests: { cpu } } : {} }] }, status: { phase } }) as unknown as SimObject;
  const objects: Record<string, SimObject[]> = {
    pods: [pod('a', '250m'), pod('b', '1'), pod('done', '2', 'Succeeded'), pod('none', undefined)],
    configmaps: [pod('cm', undefined)],
  };
  const list = (r: string) => objects[r] ?? [];
  it.each([
    ['pods', 3],
    ['count/pods', 3],
    ['requests.cpu', 1.25],
    ['cpu', 1.25],
    ['configmaps', 1],
    ['count/deployments.apps', 0],
  ])('%s', (key, expected) => {
    expect(quotaUsed(key, list)).toBeCloseTo(expected);
  });
});
