// Plan mode's "what would change": the command with --dry-run=server appended to its parsed argv, re-scored, run,
// and compared with the object as it is now. The flag is appended, never substituted into text, and a verb without
// a server-side dry run is refused rather than run.
import fastJsonPatch from 'fast-json-patch';
import type { KubeObject } from '../domain/kube.js';
import type { KubectlResult } from '../domain/ports.js';
import type { RiskAssessment } from '../domain/risk.js';
import { formatCommandLine } from '../verify/format-command-line.js';
import { redactKubeObjects } from '../redaction/redact.js';
import { clipOutput } from './audit-step.js';
import type { ExecuteDeps } from './execute-deps.js';
import { getTargetArgv, targetOf } from './target-of.js';

export type { DryRunResult } from '../domain/execution-report.js';
import type { DryRunResult } from '../domain/execution-report.js';

/** Verbs (and rollout sub-verbs) with --dry-run=server, checked against kubectl v1.32. */
const DRY_RUN_VERBS = ['scale', 'set', 'patch', 'label', 'annotate', 'delete', 'apply', 'create', 'replace', 'cordon', 'uncordon', 'drain', 'taint', 'autoscale', 'expose'];
const DRY_RUN_ROLLOUT = ['undo'];
/** Verbs whose dry run cannot print the object. */
const NO_OUTPUT_VERBS = ['cordon', 'uncordon', 'drain', 'delete'];
/** Kinds whose JSON carries credentials: the dry run neither reads them before nor prints them after. */
const NEVER_READ = ['secrets', 'serviceaccounts'];

/**
 * The dry run must never read a Secret: not by naming one, and not through -f/-k, whose objects the scorer cannot
 * see. Such a dry run still runs (the server still validates it) but prints only kubectl's one-line summary.
 */
export function mayReadSecrets(parsed: RiskAssessment['parsed']): boolean {
  if (!parsed) return true;
  const resources = (parsed as { resources?: string[] }).resources ?? (parsed.resource ? [parsed.resource] : []);
  const fromFiles = 'filename' in parsed.flags || 'kustomize' in parsed.flags;
  return fromFiles || resources.some((r) => NEVER_READ.includes(r) || r === 'all') || (resources.length === 0 && parsed.verb !== 'cordon' && parsed.verb !== 'uncordon' && parsed.verb !== 'drain');
}

/** The dry-run argv for a scored command, or why there is none. Pure. */
export function buildDryRunArgv(assessment: RiskAssessment, argv: readonly string[]): { argv: string[] } | { refused: string } {
  const parsed = assessment.parsed;
  if (assessment.level === 'forbidden') return { refused: 'forbidden commands are not dry-run either' };
  if (!parsed) return { refused: 'the command could not be parsed' };
  if (argv.includes('--')) return { refused: 'arguments after "--" cannot carry a dry-run flag' };
  const supported = parsed.verb === 'rollout' ? DRY_RUN_ROLLOUT.includes(parsed.subVerb ?? '') : DRY_RUN_VERBS.includes(parsed.verb);
  if (!supported) return { refused: `kubectl ${parsed.verb}${parsed.subVerb ? ` ${parsed.subVerb}` : ''} has no server-side dry run` };
  // Drop any --dry-run the proposal carried, then append ours: pflag keeps the last value, and ours is last.
  const kept = argv.filter((a) => !/^--dry-run(=|$)/.test(a));
  const output = NO_OUTPUT_VERBS.includes(parsed.verb) || mayReadSecrets(parsed) ? [] : ['-o', 'json'];
  return { argv: [...kept, ...output, '--dry-run=server'] };
}

/** Fields the server changes on every write; not "what would change". */
const NOISE = /^\/(metadata\/(resourceVersion|managedFields|generation|uid|creationTimestamp)|status)(\/|$)/;

/** Human-readable field changes between the object now and the dry-run result. Pure. */
export function describeChanges(rawBefore: KubeObject | undefined, rawAfter: KubeObject): string[] {
  if (!rawBefore) return ['would create the object'];
  // The preview goes to the logs: compare redacted copies, so an env value or Secret datum never appears in it.
  const before = redactKubeObjects(rawBefore);
  const after = redactKubeObjects(rawAfter);
  const ops = fastJsonPatch.compare(before as object, after as object).filter((op) => !NOISE.test(op.path));
  return ops.slice(0, 40).map((op) => {
    const old = op.op === 'add' ? undefined : fastJsonPatch.getValueByPointer(before, op.path);
    const value = 'value' in op ? op.value : undefined;
    const show = (v: unknown) => (v === undefined ? '∅' : JSON.stringify(v).slice(0, 120));
    return `${op.op} ${op.path}: ${show(old)} → ${op.op === 'remove' ? '∅' : show(value)}`;
  });
}

/** Runs the server-side dry run of one scored command. Never throws for a kubectl failure: the preview shows it. */
export async function runDryRun(deps: Pick<ExecuteDeps, 'runner' | 'risk' | 'signal'>, assessment: RiskAssessment): Promise<DryRunResult> {
  const built = buildDryRunArgv(assessment, deps.risk.argv(assessment));
  if ('refused' in built) return { ran: false, reason: built.refused };
  let command: string;
  try {
    command = formatCommandLine(['kubectl', ...built.argv]);
  } catch (error) {
    return { ran: false, reason: (error as Error).message };
  }
  // Re-score the exact dry-run line; it must parse back to the same argv and carry --dry-run=server.
  const rescored = deps.risk.assess(command);
  const rescoredArgv = rescored.level === 'forbidden' ? undefined : deps.risk.argv(rescored);
  if (!rescoredArgv || rescoredArgv.join('\u0000') !== built.argv.join('\u0000') || rescored.parsed?.flags['dry-run'] !== 'server') {
    return { ran: false, command, reason: `the dry-run command did not re-score as a server dry run (${rescored.level}: ${rescored.reasons.join('; ')})` };
  }
  const target = targetOf(rescored.parsed);
  const before = target && !mayReadSecrets(rescored.parsed) ? await readJson(deps, getTargetArgv(target)) : undefined;
  let result: KubectlResult;
  try {
    result = await deps.runner.run(built.argv, { signal: deps.signal });
  } catch (error) {
    return { ran: false, command, reason: `the runner refused it: ${(error as Error).message}` };
  }
  if (result.exitCode !== 0) return { ran: true, command, exitCode: result.exitCode, output: clipOutput(result.stderr || result.stdout) };
  // kubectl scale sends the dry run to the scale subresource but prints the object it read before: the server
  // accepted the change, and the change itself is the replica count.
  const replicas = rescored.parsed?.flags.replicas;
  if (rescored.parsed?.verb === 'scale' && before && typeof replicas === 'string') {
    const current = before.spec?.replicas;
    return { ran: true, command, exitCode: 0, changes: String(current) === replicas ? [] : [`replace /spec/replicas: ${JSON.stringify(current)} → ${replicas}`] };
  }
  // kubectl rollout undo also prints the object as it was; the change is the template of the revision it goes back to.
  if (rescored.parsed?.verb === 'rollout' && rescored.parsed.subVerb === 'undo' && target && before) {
    return { ran: true, command, exitCode: 0, changes: await describeUndo(deps, before, rescored.parsed.flags['to-revision']) };
  }
  const after = parseJson(result.stdout);
  if (after && typeof after.metadata === 'object') return { ran: true, command, exitCode: 0, changes: describeChanges(before, after) };
  return { ran: true, command, exitCode: 0, output: clipOutput(result.stdout.trim()) };
}

/** The template change a rollout undo makes: current template → the template of the target revision's ReplicaSet. */
async function describeUndo(deps: Pick<ExecuteDeps, 'runner' | 'signal'>, deployment: KubeObject, toRevision: string | boolean | undefined): Promise<string[]> {
  const namespace = deployment.metadata.namespace;
  const list = await readJson(deps, ['get', 'replicasets', ...(namespace ? ['-n', namespace] : []), '-o', 'json']);
  const revisionOf = (o: KubeObject) => Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const owned = ((list?.items as KubeObject[] | undefined) ?? []).filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid));
  const current = revisionOf(deployment);
  const wanted = typeof toRevision === 'string' && Number(toRevision) > 0 ? Number(toRevision) : undefined;
  const candidates = owned.filter((rs) => (wanted ? revisionOf(rs) === wanted : revisionOf(rs) < current)).sort((a, b) => revisionOf(b) - revisionOf(a));
  const target = candidates[0];
  if (!target) return [`no ReplicaSet for revision ${wanted ?? 'before ' + current}: the undo would fail`];
  const wrap = (o: KubeObject): KubeObject => ({ metadata: {}, spec: { template: { spec: o.spec?.template?.spec ?? {} } } });
  return [`rollout back to revision ${revisionOf(target)}`, ...describeChanges(wrap(deployment), wrap(target))];
}

async function readJson(deps: Pick<ExecuteDeps, 'runner' | 'signal'>, argv: string[]): Promise<KubeObject | undefined> {
  const result = await deps.runner.run(argv, { signal: deps.signal }).catch(() => undefined);
  return result?.exitCode === 0 ? parseJson(result.stdout) : undefined;
}

function parseJson(text: string): KubeObject | undefined {
  try {
    const value = JSON.parse(text) as KubeObject;
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The server-side dry run of each write an approval asks for, shown to the approver on the approval page. Each runs
 * against the cluster as it is now, so a later command's dry run does not see an earlier one's change. Never throws.
 */
export async function dryRunEach(
  deps: Pick<ExecuteDeps, 'runner' | 'risk' | 'signal'>,
  actions: ReadonlyArray<{ index: number; action: { command: string } }>,
): Promise<Array<{ index: number } & DryRunResult>> {
  const results: Array<{ index: number } & DryRunResult> = [];
  for (const { index, action } of actions) {
    const assessment = deps.risk.assess(action.command);
    const result: DryRunResult = assessment.readOnly
      ? { ran: false, reason: 'read-only command: changes nothing' }
      : await runDryRun(deps, assessment).catch((error: unknown) => {
          if (deps.signal?.aborted) throw error;
          return { ran: false, reason: `the dry run failed: ${(error as Error).message}` };
        });
    results.push({ index, ...result });
  }
  return results;
}
