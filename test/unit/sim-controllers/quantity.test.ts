import { describe, expect, it } from 'vitest';
import { InvalidQuantityError, formatBytes, formatCpu, parseQuantity } from '../../../chaos/sim/controllers/quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['128974848', 128974848],
    ['129e6', 129e6],
    ['129M', 129e6],
    ['123Mi', 123 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['2Ti', 2 * 2 ** 40],
    ['64Ki', 64 * 1024],
    ['1k', 1000],
    ['1G', 1e9],
    ['1T', 1e12],
    ['250m', 0.25],
    ['0.5', 0.5],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1E3', 1000],
    ['2e-3', 0.002],
    ['1E', 1e18],
    [4, 4],
  ])('%s → %d', (input, expected) => {
    expect(parseQuantity(input)).toBeCloseTo(expected, 9);
  });

  it.each(['', 'abc', '12Mb', '1.2.3', 'Mi', '--1'])('rejects %j', (input) => {
    expect(() => parseQuantity(input)).toThrow(InvalidQuantityError);
  });

  it('formats cpu and memory canonically', () => {
    expect(formatCpu(0.25)).toBe('250m');
    expect(formatCpu(2)).toBe('2');
    expect(formatBytes(256 * 2 ** 20)).toBe('256Mi');
    expect(formatBytes(2 ** 30)).toBe('1Gi');
    expect(formatBytes(1000)).toBe('1000');
  });
});
