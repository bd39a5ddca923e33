import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from '../../../backend/src/config/index.js';

const none = '/nonexistent/.env';

describe('loadConfig', () => {
  it('defaults to plan mode, destructive operations off, auto-rollback on', () => {
    const config = loadConfig({}, none);
    expect(config.EXECUTION_MODE).toBe('plan');
    expect(config.K8S_ENABLE_DESTRUCTIVE_OPERATIONS).toBe(false);
    expect(config.AUTO_ROLLBACK).toBe(true);
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.PAGERDUTY_WEBHOOK_SECRETS).toEqual([]);
  });

  it.each([
    [{ EXECUTION_MODE: 'yes-please' }, /^invalid configuration: EXECUTION_MODE: expected one of yolo\|approval\|plan/],
    [{ PORT: '70000' }, /^invalid configuration: PORT: expected a whole number/],
    [{ AUTO_ROLLBACK: 'maybe' }, /^invalid configuration: AUTO_ROLLBACK: expected true or false/],
    [{ REDIS_URL: 'not a url' }, /^invalid configuration: REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, /^invalid configuration: REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/],
    [{ PAGERDUTY_API_URL: 'redis://127.0.0.1:6379' }, /^invalid configuration: PAGERDUTY_API_URL: expected an http:\/\/ or https:\/\/ URL/],
    [{ YOLO_MIN_CONFIDENCE_HIGH: '0.5' }, /^invalid configuration: YOLO_MIN_CONFIDENCE_HIGH: 0.5 is below YOLO_MIN_CONFIDENCE 0.8/],
    [{ SKIP_BELOW_CONFIDENCE: '0.95' }, /^invalid configuration: SKIP_BELOW_CONFIDENCE: 0.95 is above YOLO_MIN_CONFIDENCE 0.8/],
    [{ YOLO_MIN_CONFIDENCE: '1.5' }, /^invalid configuration: YOLO_MIN_CONFIDENCE: expected a number from 0 to 1/],
    [{ MODE_OVERRIDES: 'prod=yolo' }, /^invalid configuration: MODE_OVERRIDES: expected namespace:<ns>=<mode>/],
  ])('rejects %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env, none)).toThrow(message);
    try {
      loadConfig(env, none);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('splits comma-separated secrets for rotation and parses overrides', () => {
    const config = loadConfig({ PAGERDUTY_WEBHOOK_SECRETS: 'old, new ,', MODE_OVERRIDES: 'namespace:prod=approval,service:PX1=plan' }, none);
    expect(config.PAGERDUTY_WEBHOOK_SECRETS).toEqual(['old', 'new']);
    expect(config.MODE_OVERRIDES).toEqual([
      { scope: 'namespace', key: 'prod', mode: 'approval' },
      { scope: 'service', key: 'PX1', mode: 'plan' },
    ]);
  });

  it('never echoes the password of a malformed REDIS_URL', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://:hunter2pw@redis:port' }, none)).toThrow(/REDIS_URL: .*"redis:\/\/<credentials>@redis:port"/);
    expect(() => loadConfig({ REDIS_URL: 'redis://:hunter2pw@redis:port' }, none)).not.toThrow(/hunter2pw/);
  });

  it('never shows secret values when described for logs', () => {
    const config = loadConfig({ ANTHROPIC_API_KEY: 'sk-ant-abc', PAGERDUTY_WEBHOOK_SECRETS: 's1,s2', REDIS_URL: 'redis://u:pw@localhost:6379' }, none);
    const text = JSON.stringify(describeConfig(config));
    expect(text).not.toContain('sk-ant-abc');
    expect(text).not.toContain('s1');
    expect(text).not.toContain(':pw@');
  });
});
