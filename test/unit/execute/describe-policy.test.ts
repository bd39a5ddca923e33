// The one-line effective policy and the "yolo can fix nothing" warning, derived from the configuration alone.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../backend/src/config/index.js';
import { describeEffectivePolicy } from '../../../backend/src/execute/describe-policy.js';

const config = (env: Record<string, string>) => loadConfig(env, '/nonexistent/.env');

describe('describeEffectivePolicy', () => {
  const rows: Array<[string, Record<string, string>, RegExp]> = [
    ['plan (the default)', {}, /^plan: previews every command and executes none;/],
    ['yolo with the write gate open', { EXECUTION_MODE: 'yolo', ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'true' }, /^yolo: will execute low and medium risk commands at confidence ≥ 0\.8 and high risk at ≥ 0\.9/],
    ['yolo with the gate closed', { EXECUTION_MODE: 'yolo' }, /^yolo: will execute low risk commands at confidence ≥ 0\.8 and refuse medium and high risk ones \(ALLOW_MEDIUM_AND_HIGH_RISK_WRITES=false\)/],
    ['yolo with custom thresholds', { EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true', YOLO_MIN_CONFIDENCE: '0.75', YOLO_MIN_CONFIDENCE_HIGH: '0.95', SKIP_BELOW_CONFIDENCE: '0.5' }, /at confidence ≥ 0\.75 and high risk at ≥ 0\.95.*below confidence 0\.5/],
    ['approval with the gate closed', { EXECUTION_MODE: 'approval' }, /^approval: asks a human before low risk writes and refuses medium and high risk ones/],
    ['approval with the gate open', { EXECUTION_MODE: 'approval', ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'true' }, /^approval: asks a human before every write/],
    ['overrides are named', { MODE_OVERRIDES: 'namespace:prod=approval' }, /overrides: namespace:prod=approval/],
    ['the kill switch is named', { KILL_SWITCH: 'true' }, /paused \(KILL_SWITCH=true\)/],
  ];
  it.each(rows)('%s', (_name, env, line) => {
    expect(describeEffectivePolicy(config(env)).line).toMatch(line);
  });

  it('warns once, naming the setting, when yolo cannot execute any runbook fix', () => {
    const { warnings } = describeEffectivePolicy(config({ EXECUTION_MODE: 'yolo' }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/EXECUTION_MODE=yolo cannot execute any runbook fix.*set ALLOW_MEDIUM_AND_HIGH_RISK_WRITES=true/);
  });

  it('warns when yolo is only an override, too', () => {
    expect(describeEffectivePolicy(config({ MODE_OVERRIDES: 'namespace:demo=yolo' })).warnings[0]).toMatch(/ALLOW_MEDIUM_AND_HIGH_RISK_WRITES/);
  });

  it('has no warning when yolo can act, or when the mode never executes', () => {
    expect(describeEffectivePolicy(config({ EXECUTION_MODE: 'yolo', ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'true' })).warnings).toEqual([]);
    expect(describeEffectivePolicy(config({ EXECUTION_MODE: 'yolo', K8S_ENABLE_DESTRUCTIVE_OPERATIONS: 'true' })).warnings).toEqual([]);
    expect(describeEffectivePolicy(config({})).warnings).toEqual([]);
    expect(describeEffectivePolicy(config({ EXECUTION_MODE: 'approval' })).warnings).toEqual([]);
  });

  it('warns that a yolo agent with KILL_SWITCH=true executes nothing', () => {
    expect(describeEffectivePolicy(config({ EXECUTION_MODE: 'yolo', ALLOW_MEDIUM_AND_HIGH_RISK_WRITES: 'true', KILL_SWITCH: 'true' })).warnings).toEqual([
      expect.stringMatching(/KILL_SWITCH=true/),
    ]);
  });
});
