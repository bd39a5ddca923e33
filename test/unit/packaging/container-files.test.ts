import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '../../../backend/src/config/schema.js';

// Docker cannot run here; these read the files for the properties the deployment depends on.

const root = join(import.meta.dirname, '..', '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { image?: string; command?: string[]; env_file?: Array<string | { path: string }>; depends_on?: Record<string, { condition: string }>; stop_grace_period?: string; healthcheck?: unknown; environment?: Record<string, string> }>;
};

/** The instructions of each FROM stage. */
function stages(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    if (/^FROM\s/i.test(line)) out.push([]);
    out.at(-1)?.push(line);
  }
  return out;
}

describe('Dockerfile', () => {
  const all = stages(dockerfile);
  const runtime = all.at(-1)!;

  it('is multi-stage, and the runtime stage installs production dependencies only', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(runtime.some((l) => /npm ci\b.*--omit=dev/.test(l))).toBe(true);
    expect(runtime.some((l) => /COPY --from=/.test(l))).toBe(true);
  });

  it('runs as a non-root user, with a health check and exec-form entrypoint (node gets SIGTERM)', () => {
    const user = runtime.filter((l) => /^USER\s/.test(l)).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)(:|$)/);
    expect(runtime.some((l) => /^HEALTHCHECK\s/.test(l) && /\/healthz/.test(l))).toBe(true);
    expect(runtime.find((l) => /^ENTRYPOINT\s/.test(l))).toMatch(/^ENTRYPOINT\s+\[/);
  });
});

describe('docker-compose.yml', () => {
  const redis = compose.services.redis;
  const agent = compose.services.agent;

  it('runs Redis 7 with AOF (fsync on every write), noeviction, and a health check', () => {
    expect(redis.image).toMatch(/^redis:7/);
    const args = (redis.command ?? []).join(' ');
    expect(args).toMatch(/--appendonly yes/);
    expect(args).toMatch(/--appendfsync always/);
    expect(args).toMatch(/--maxmemory-policy noeviction/);
    expect(redis.healthcheck).toBeDefined();
  });

  it('the agent reads .env, waits for a healthy Redis, and gets longer than the default grace period to stop', () => {
    expect((agent.env_file ?? []).map((e) => (typeof e === 'string' ? e : e.path))).toContain('.env');
    expect(agent.depends_on?.redis).toEqual({ condition: 'service_healthy' });
    expect(agent.environment?.REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
    const grace = envSchema.parse({}).SHUTDOWN_GRACE_MS;
    expect(Number(/^(\d+)s$/.exec(agent.stop_grace_period ?? '')?.[1]) * 1000).toBeGreaterThan(grace);
  });
});
