// ALLOW_MEDIUM_AND_HIGH_RISK_WRITES, and its older name K8S_ENABLE_DESTRUCTIVE_OPERATIONS, still accepted.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../backend/src/config/index.js';

const load = (env: Record<string, string>) => loadConfig(env, '/nonexistent/.env');

describe('the write gate setting', () => {
  it('is closed by default', () => {
    const c = load({});
    expect(c.K8S_ENABLE_DESTRUCTIVE_OPERATIONS).toBe(false);
    expect(c.ALLOW_MEDIUM_AND_HIGH_RISK_WRITES).toBe(false);
  });

  it.each([
    [{ ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'true' }, true],
    [{ ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'off' }, false],
    [{ K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true' }, true],
    [{ K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'yes' }, true],
    [{ K8S_ENABLE_DESTRUCTIVE_OPERATIONS: '', ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'true' }, true],
  ])('%o → %s under both names', (env, open) => {
    const c = load(env);
    expect(c.ALLOW_MEDIUM_AND_HIGH_RISK_WRITES).toBe(open);
    expect(c.K8S_ENABLE_DESTRUCTIVE_OPERATIONS).toBe(open);
  });

  it('refuses the two names disagreeing, naming both', () => {
    expect(() => load({ K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'false' })).toThrow(
      /^invalid configuration: ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: false disagrees with K8S_ENABLE_DESTRUCTIVE_OPERATIONS=true/,
    );
  });

  it('refuses a value that is not a boolean, naming the variable', () => {
    expect(() => load({ ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'maybe' })).toThrow(/^invalid configuration: ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: expected true or false/);
  });
});
