import { describe, expect, it } from 'vitest';
import { resolvePickupMode } from '../../../backend/src/app/pickup-mode.js';
import type { ModeOverride } from '../../../backend/src/execute/resolve-mode.js';

const overrides: ModeOverride[] = [
  { scope: 'namespace', key: 'payments', mode: 'plan' },
  { scope: 'namespace', key: 'shop', mode: 'approval' },
  { scope: 'service', key: 'PSAFE', mode: 'plan' },
];
const incident = (title: string, details: Record<string, unknown> = {}, serviceId?: string) => ({ title, details, serviceId });

describe('resolvePickupMode (whether ACK_ON_PICKUP acknowledges by default)', () => {
  it('a namespace forced to plan mode by MODE_OVERRIDES, named in the title or the details, is plan mode at pickup', () => {
    expect(resolvePickupMode('yolo', overrides, incident('CrashLoopBackOff: deployment/web in namespace payments'))).toBe('plan');
    expect(resolvePickupMode('yolo', overrides, incident('web is down', { namespace: 'payments', deployment: 'web' }))).toBe('plan');
    expect(resolvePickupMode('yolo', overrides, incident('[Triggered on {kube_namespace:payments,kube_deployment:web}] high error rate'))).toBe('plan');
  });

  it('the strictest of every namespace the alert names wins; the service override still applies', () => {
    expect(resolvePickupMode('yolo', overrides, incident('Pod shop/web-1 and pod payments/api-2 crash looping'))).toBe('plan');
    expect(resolvePickupMode('yolo', overrides, incident('CrashLoopBackOff: deployment/web in namespace shop'))).toBe('approval');
    expect(resolvePickupMode('yolo', overrides, incident('CrashLoopBackOff: deployment/web in namespace shop', {}, 'PSAFE'))).toBe('plan');
  });

  it('an alert naming no namespace, or one without an override, keeps EXECUTION_MODE', () => {
    expect(resolvePickupMode('yolo', overrides, incident('High latency on checkout'))).toBe('yolo');
    expect(resolvePickupMode('approval', overrides, incident('CrashLoopBackOff: deployment/web in namespace demo'))).toBe('approval');
    expect(resolvePickupMode('plan', [], incident('CrashLoopBackOff: deployment/web in namespace shop'))).toBe('plan');
  });
});
