// Settings that pass the schema but name things on disk: checked once at start-up so a typo stops the daemon with one
// line naming the variable, instead of every incident later escalating (or its audit records going nowhere).
import { accessSync, closeSync, constants, mkdirSync, openSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { ConfigError } from '../domain/errors.js';
import type { Config } from './load-config.js';

/**
 * Throws ConfigError when a chosen KUBECTL_PATH cannot be run, or AUDIT_JSONL_PATH / STATE_DIR cannot be written.
 * The default "kubectl" missing from PATH is only a warning (returned): like a missing cluster, the daemon still
 * takes pages and escalates them, e.g. on a fresh machine trying the quick start.
 */
export function checkWorkerPaths(config: Pick<Config, 'KUBECTL_PATH' | 'AUDIT_JSONL_PATH' | 'STATE_DIR'>, env: NodeJS.ProcessEnv = process.env): { warnings: string[] } {
  const warnings: string[] = [];
  try {
    checkKubectl(config.KUBECTL_PATH, env.PATH ?? '');
  } catch (error) {
    if (config.KUBECTL_PATH !== DEFAULT_KUBECTL) throw error;
    warnings.push('kubectl was not found on PATH: every incident will escalate without running a command until it is installed (or KUBECTL_PATH is set)');
  }
  checkWritable('STATE_DIR', config.STATE_DIR, () => {
    mkdirSync(config.STATE_DIR, { recursive: true });
    accessSync(config.STATE_DIR, constants.W_OK);
  });
  checkWritable('AUDIT_JSONL_PATH', config.AUDIT_JSONL_PATH, () => {
    mkdirSync(dirname(config.AUDIT_JSONL_PATH), { recursive: true });
    closeSync(openSync(config.AUDIT_JSONL_PATH, 'a', 0o600));
  });
  return { warnings };
}

const DEFAULT_KUBECTL = 'kubectl';

function checkKubectl(path: string, searchPath: string): void {
  const candidates = path.includes('/') ? [path] : searchPath.split(delimiter).filter(Boolean).map((dir) => join(dir, path));
  if (candidates.some(isExecutableFile)) return;
  throw new ConfigError(
    path.includes('/')
      ? `invalid configuration: KUBECTL_PATH: "${path}" is not an executable file`
      : `invalid configuration: KUBECTL_PATH: "${path}" was not found on PATH`,
    'install kubectl or set KUBECTL_PATH to its full path',
  );
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function checkWritable(name: string, path: string, probe: () => void): void {
  try {
    probe();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`invalid configuration: ${name}: cannot write "${path}" (${code})`, `point ${name} at a writable location`);
  }
}
