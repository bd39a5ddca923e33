import { describe, expect, it } from 'vitest';
import { computePlanHash } from '../../../backend/src/safety/plan-hash.js';

describe('computePlanHash', () => {
  const plan = ['kubectl rollout undo deployment/web -n shop', 'kubectl scale deployment/web --replicas=3 -n shop'];
  const base = computePlanHash('INC1', plan);

  it('is a stable sha256 hex', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(computePlanHash('INC1', [...plan])).toBe(base);
  });

  it.each([
    ['another incident', computePlanHash('INC2', plan)],
    ['commands reordered', computePlanHash('INC1', [...plan].reverse())],
    ['a command added', computePlanHash('INC1', [...plan, 'kubectl get pods'])],
    ['a command removed', computePlanHash('INC1', plan.slice(0, 1))],
    ['one character changed', computePlanHash('INC1', [plan[0], plan[1].replace('3', '0')])],
    ['words moved across a boundary', computePlanHash('INC1', ['kubectl rollout undo deployment/web', '-n shop kubectl scale deployment/web --replicas=3 -n shop'])],
    ['trailing whitespace', computePlanHash('INC1', [plan[0], `${plan[1]} `])],
  ])('changes when %s', (_name, other) => {
    expect(other).not.toBe(base);
  });
});
