import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../backend/src/config/index.js';
import { envSchema } from '../../../backend/src/config/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'oncall-dotenv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function envFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the .env file', () => {
  it('fills in what the environment does not set, and the environment wins', () => {
    const path = envFile('a.env', 'EXECUTION_MODE=approval\nWORKER_CONCURRENCY=4\n# a comment\nPAGERDUTY_WEBHOOK_SECRETS="old , new"\n');
    const config = loadConfig({ WORKER_CONCURRENCY: '7' }, path);
    expect(config.EXECUTION_MODE).toBe('approval');
    expect(config.WORKER_CONCURRENCY).toBe(7);
    expect(config.PAGERDUTY_WEBHOOK_SECRETS).toEqual(['old', 'new']);
  });

  it('is read from DOTENV_PATH when that is set', () => {
    const path = envFile('b.env', 'JOB_ATTEMPTS=9\n');
    expect(loadConfig({ DOTENV_PATH: path }).JOB_ATTEMPTS).toBe(9);
  });

  it('an unreadable file names DOTENV_PATH', () => {
    expect(() => loadConfig({ DOTENV_PATH: dir })).toThrow(/^invalid configuration: DOTENV_PATH: cannot read .*EISDIR/);
  });

  it('a bad value in the file is named like one in the environment', () => {
    const path = envFile('c.env', 'SHUTDOWN_GRACE_MS=soon\n');
    expect(() => loadConfig({}, path)).toThrow(/^invalid configuration: SHUTDOWN_GRACE_MS: expected a whole number/);
  });
});

describe('every setting that can be wrong', () => {
  const garbage = ['not-a-value-%%', '-1', '1e99'];
  const rejecting = Object.keys(envSchema.shape).filter((key) => garbage.some((value) => !envSchema.shape[key as keyof typeof envSchema.shape].safeParse(value).success));

  it('includes the numbers, switches, modes and URLs', () => {
    expect(rejecting).toEqual(expect.arrayContaining(['PORT', 'SHUTDOWN_GRACE_MS', 'WORKER_CONCURRENCY', 'JOB_ATTEMPTS', 'JOB_BACKOFF_MS', 'REDIS_URL', 'EXECUTION_MODE', 'LOG_LEVEL']));
  });

  it.each(Object.keys(envSchema.shape))('%s: a wrong value gives one line naming the variable', (key) => {
    for (const value of garbage) {
      if (envSchema.shape[key as keyof typeof envSchema.shape].safeParse(value).success) continue;
      let message = '';
      try {
        loadConfig({ [key]: value }, join(dir, 'none.env'));
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(new RegExp(`^invalid configuration: ${key}: \\S`));
      expect(message).not.toContain('\n');
    }
  });
});
