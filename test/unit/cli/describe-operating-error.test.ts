import { describe, expect, it } from 'vitest';
import { describeOperatingError } from '../../../backend/src/cli/describe-operating-error.js';

describe('describeOperatingError', () => {
  it('an error with a system code is one line, no stack', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    expect(describeOperatingError(error, 'info')).toBe('connect ECONNREFUSED 127.0.0.1:6379');
    const missing = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    expect(describeOperatingError(missing, 'debug')).toBe('no such file (ENOENT)');
  });

  it('anything else is one line too, with the stack only at LOG_LEVEL=debug or trace', () => {
    const bug = new TypeError('x is not a function');
    expect(describeOperatingError(bug, 'info')).toBe('x is not a function (LOG_LEVEL=debug shows the stack trace)');
    expect(describeOperatingError(bug, 'debug')).toMatch(/^TypeError: x is not a function\n\s+at /);
    expect(describeOperatingError('plain', undefined)).toBe('plain');
  });
});
