// Reads a folder of chaos scenarios in the k8s-bench-like layout (setup.sh, verify.sh, cleanup.sh, alert*.json,
// expected.json, README.md). Any folder in this format runs unchanged; a malformed scenario is one clear error line.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export type Expectation = 'fix' | 'approval' | 'rollback' | 'escalate';

/** An Events v2 trigger payload, as a monitoring system sends it to PagerDuty. */
export interface AlertPayload {
  summary: string;
  source: string;
  severity: string;
  component?: string;
  group?: string;
  class?: string;
  custom_details: Record<string, unknown>;
}

export interface Scenario {
  /** The folder name, e.g. "01-crashloop-bad-rollout". */
  name: string;
  dir: string;
  expect: Expectation;
  namespace: string;
  /** "deployment/checkout" */
  target: { kind: string; name: string };
  /** Most spec writes (generation bumps) the target may take in total: 1 for "one remediation, not two". */
  maxTargetWrites?: number;
  /** Cluster-scoped resources (plural, e.g. "nodes") a correct fix may write; every other cluster-scoped write is unsafe. */
  clusterScopedWrites: string[];
  /** One entry per alert*.json: every alert pages as its own incident, all at once. */
  /** Key facts the root cause must name (the missing label, the quota, the exit code…); empty: not scored. */
  rootCauseMustMention: string[];
  alerts: Array<{ file: string; payload: AlertPayload }>;
  /** The README's first line: what breaks. */
  description: string;
  hasVerify: boolean;
  hasCleanup: boolean;
}

const expectedSchema = z
  .object({
    expect: z.enum(['fix', 'approval', 'rollback', 'escalate']),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a namespace name'),
    target: z.string().regex(/^[a-zA-Z.]+\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'kind/name, e.g. deployment/web'),
    maxTargetWrites: z.number().int().min(0).optional(),
    clusterScopedWrites: z.array(z.string().regex(/^[a-z.]+$/)).optional(),
    rootCauseMustMention: z.array(z.string().min(1)).optional(),
  })
  .passthrough();

const payloadSchema = z
  .object({
    summary: z.string().min(1).max(1024),
    source: z.string().min(1).default('chaos'),
    severity: z.string().default('critical'),
    component: z.string().optional(),
    group: z.string().optional(),
    class: z.string().optional(),
    custom_details: z.record(z.unknown()).default({}),
  })
  .passthrough();

/** A full Events v2 event ({ payload: {...} }) or only its payload. */
const alertSchema = z.union([z.object({ payload: payloadSchema }).passthrough().transform((e) => e.payload), payloadSchema]);

export class ScenarioError extends Error {}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function loadScenario(dir: string): Scenario {
  const name = dir.split(/[\\/]/).filter(Boolean).pop() ?? dir;
  if (!existsSync(join(dir, 'setup.sh'))) throw new ScenarioError(`${name}: no setup.sh`);
  if (!existsSync(join(dir, 'expected.json'))) throw new ScenarioError(`${name}: no expected.json`);
  const expected = expectedSchema.safeParse(readJson(join(dir, 'expected.json')));
  if (!expected.success) throw new ScenarioError(`${name}/expected.json: ${issues(expected.error)}`);
  const alertFiles = readdirSync(dir)
    .filter((f) => /^alert(-[\w.-]+)?\.json$/.test(f))
    .sort((a, b) => (a === 'alert.json' ? -1 : b === 'alert.json' ? 1 : a.localeCompare(b)));
  if (alertFiles.length === 0) throw new ScenarioError(`${name}: no alert.json`);
  const alerts = alertFiles.map((file) => {
    const parsed = alertSchema.safeParse(readJson(join(dir, file)));
    if (!parsed.success) throw new ScenarioError(`${name}/${file}: not an Events v2 alert: ${issues(parsed.error)}`);
    return { file, payload: parsed.data as AlertPayload };
  });
  const [kind, targetName] = expected.data.target.split('/');
  const readme = existsSync(join(dir, 'README.md')) ? readFileSync(join(dir, 'README.md'), 'utf8') : '';
  const description = readme.split('\n').map((l) => l.replace(/^#+\s*/, '').trim()).find(Boolean) ?? '';
  return {
    name,
    dir,
    expect: expected.data.expect,
    namespace: expected.data.namespace,
    target: { kind: kind.toLowerCase(), name: targetName },
    maxTargetWrites: expected.data.maxTargetWrites,
    clusterScopedWrites: expected.data.clusterScopedWrites ?? [],
    rootCauseMustMention: expected.data.rootCauseMustMention ?? [],
    alerts,
    description,
    hasVerify: existsSync(join(dir, 'verify.sh')),
    hasCleanup: existsSync(join(dir, 'cleanup.sh')),
  };
}

/** Every scenario folder under `root`, sorted by name; `only` keeps those whose name or number matches. */
export function loadScenarios(root: string, only: string[] = []): Scenario[] {
  const dir = resolve(root);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ScenarioError(`no scenarios folder at ${dir}`);
  const folders = readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isDirectory() && existsSync(join(dir, f, 'setup.sh')))
    .sort();
  const selected = only.length === 0 ? folders : folders.filter((f) => only.some((o) => matchesName(f, o)));
  const unknown = only.filter((o) => !folders.some((f) => matchesName(f, o)));
  if (unknown.length > 0) throw new ScenarioError(`--only: no scenario matches ${unknown.map((u) => `"${u}"`).join(', ')} in ${dir}`);
  if (selected.length === 0) throw new ScenarioError(`no scenario (a folder with setup.sh) in ${dir}`);
  return selected.map((f) => loadScenario(join(dir, f)));
}

/** "01", "1", the full folder name, or its name without the number. */
export function matchesName(folder: string, word: string): boolean {
  const w = word.trim();
  if (!w) return false;
  if (/^\d+$/.test(w)) {
    const number = /^(\d+)-/.exec(folder)?.[1];
    return number !== undefined && Number(number) === Number(w);
  }
  return folder === w || folder.replace(/^\d+-/, '') === w;
}
