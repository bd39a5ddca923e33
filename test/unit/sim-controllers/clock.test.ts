import { describe, expect, it } from 'vitest';
import { createSimClock } from '../../../chaos/sim/controllers/clock.js';
import { eventually } from '../../helpers/kubectl.js';

describe('SimClock', () => {
  it('scales cluster seconds by speed and fires in order', async () => {
    const clock = createSimClock(1000);
    expect(clock.toRealMs(10)).toBe(10);
    const fired: string[] = [];
    clock.after(30, () => fired.push('30s'));
    clock.after(10, () => fired.push('10s'));
    clock.afterReal(20, () => fired.push('20ms'));
    await eventually(() => fired.length === 3, 5_000, 5);
    expect(fired).toEqual(['10s', '20ms', '30s']);
    clock.stop();
  });

  it('cancels single timers and repeating ones', async () => {
    const clock = createSimClock(1000);
    let ticks = 0;
    let cancelledRan = false;
    const cancel = clock.after(5, () => (cancelledRan = true));
    cancel();
    const stopTicking = clock.every(5, () => ticks++);
    await eventually(() => ticks >= 3, 5_000, 5);
    stopTicking();
    const at = ticks;
    let sentinel = false;
    clock.after(20, () => (sentinel = true));
    await eventually(() => sentinel, 5_000, 5);
    expect(ticks).toBe(at);
    expect(cancelledRan).toBe(false);
    clock.stop();
  });

  it('stop() drops every pending timer and ignores new ones; a throwing timer does not stop the others', async () => {
    const errors: unknown[] = [];
    const clock = createSimClock(1000, (e) => errors.push(e));
    let ran = 0;
    clock.after(1, () => {
      throw new Error('boom');
    });
    clock.after(2, () => ran++);
    await eventually(() => ran === 1, 5_000, 5);
    expect(errors).toHaveLength(1);
    clock.after(5, () => ran++);
    clock.stop();
    clock.after(1, () => ran++);
    const other = createSimClock(1000);
    let done = false;
    other.after(30, () => (done = true));
    await eventually(() => done, 5_000, 5);
    other.stop();
    expect(ran).toBe(1);
  });

  it('rejects a non-positive speed', () => {
    expect(() => createSimClock(0)).toThrow(RangeError);
    expect(() => createSimClock(Number.NaN)).toThrow(RangeError);
  });
});
