import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from '../../../backend/src/config/index.js';

const load = (env: Record<string, string>) => loadConfig(env, '/nonexistent/.env');

describe('PagerDuty write-back settings', () => {
  it('a token without PAGERDUTY_FROM_EMAIL is a one-line configuration error naming the variable', () => {
    expect(() => load({ PAGERDUTY_API_TOKEN: 'u+abc' })).toThrow(/^invalid configuration: PAGERDUTY_FROM_EMAIL: required when PAGERDUTY_API_TOKEN is set/);
    expect(() => load({ PAGERDUTY_API_TOKEN: 'u+abc', PAGERDUTY_FROM_EMAIL: 'not an email' })).toThrow(/^invalid configuration: PAGERDUTY_FROM_EMAIL: expected an email address/);
    expect(load({ PAGERDUTY_API_TOKEN: 'u+abc', PAGERDUTY_FROM_EMAIL: 'agent@example.com' }).PAGERDUTY_FROM_EMAIL).toBe('agent@example.com');
  });

  it('ACK_ON_PICKUP and RESOLVE_ON_VERIFIED stay unset by default (their default depends on the mode) and parse booleans', () => {
    const defaults = load({});
    expect(defaults.ACK_ON_PICKUP).toBeUndefined();
    expect(defaults.RESOLVE_ON_VERIFIED).toBeUndefined();
    expect(defaults.HUMAN_ACK_FORCES_PLAN).toBe(true);
    expect(load({ ACK_ON_PICKUP: 'false', RESOLVE_ON_VERIFIED: 'yes' })).toMatchObject({ ACK_ON_PICKUP: false, RESOLVE_ON_VERIFIED: true });
    expect(() => load({ ACK_ON_PICKUP: 'maybe' })).toThrow(/^invalid configuration: ACK_ON_PICKUP: expected true or false, got "maybe"$/);
  });

  it('approval secrets must be long enough not to be guessed, and are never printed', () => {
    expect(() => load({ APPROVAL_TOKEN: 'short' })).toThrow(/^invalid configuration: APPROVAL_TOKEN: must be at least 16 characters/);
    expect(() => load({ PAGERDUTY_ACTIONS_SECRET: 'short' })).toThrow(/^invalid configuration: PAGERDUTY_ACTIONS_SECRET/);
    const config = load({ APPROVAL_TOKEN: 'x'.repeat(32) });
    expect(JSON.stringify(describeConfig(config))).not.toContain('x'.repeat(32));
  });

  it('bounds the write-back give-up time and backoff', () => {
    expect(load({}).PAGERDUTY_WRITEBACK_GIVE_UP_SECONDS).toBe(3_600);
    // The default: a pending approval is announced with 15 minutes to decide.
    expect(load({}).APPROVAL_TTL_SECONDS).toBe(900);
    expect(load({}).LEDGER_TTL_HOURS).toBe(168);
    expect(() => load({ LEDGER_TTL_HOURS: '0' })).toThrow(/^invalid configuration: LEDGER_TTL_HOURS/);
    expect(() => load({ PAGERDUTY_WRITEBACK_GIVE_UP_SECONDS: '1' })).toThrow(/PAGERDUTY_WRITEBACK_GIVE_UP_SECONDS/);
    expect(() => load({ PAGERDUTY_EVENTS_URL: 'ftp://x' })).toThrow(/PAGERDUTY_EVENTS_URL/);
  });
});
