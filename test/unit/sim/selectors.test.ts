import { describe, expect, it } from 'vitest';
import { fieldsMatch, labelsMatch, parseFieldSelector, parseLabelSelector, selectorToString, checkFieldSelector } from '../../../chaos/sim/api/selectors.js';
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
