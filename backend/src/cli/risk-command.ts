import { StringDecoder } from 'node:string_decoder';
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import { ConfigError, InvalidInputError } from '../domain/errors.js';
import type { ClusterReader } from '../domain/ports.js';
import {
  assessBlastRadius,
  assessCommand,
  compileDenyList,
  gatherBlastRadiusFacts,
  withBlastRadius,
  type KubectlAssessment,
  type RiskPolicy,
} from '../risk/index.js';

const SAFE_WORD = /^[A-Za-z0-9_\-.,/:=@%+]+$/;

/** Rebuilds a command line from argv words, single-quoting where a shell would need it. */
export function quoteWords(words: string[]): string {
  return words.map((w) => (SAFE_WORD.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The JSON record printed by --json and --batch. */
export function toRecord(a: KubectlAssessment) {
  const p = a.parsed;
  return {
    command: a.command,
    level: a.level,
    reasons: a.reasons,
    readOnly: a.readOnly,
    // verb, resource and namespace are always present (null when the line has none), so a consumer of --batch can
    // rely on the shape of every record, shell-syntax refusals included.
    verb: p?.verb || null,
    subVerb: p?.subVerb,
    resource: p?.resource ?? null,
    resources: p?.resources,
    names: p?.names,
    namespace: p?.namespace ?? null,
    allNamespaces: p?.allNamespaces,
    all: p?.all,
    selector: p?.selector,
    argv: a.level === 'forbidden' ? undefined : p?.args,
  };
}

function formatHuman(a: KubectlAssessment): string {
  const p = a.parsed;
  const rows: Array<[string, string | undefined]> = [
    ['level', a.level.toUpperCase()],
    ['command', a.command],
    ['verb', p?.commandPath.join(' ') || undefined],
    ['resource', p?.resources.length ? p.resources.join(', ') : undefined],
    ['names', p?.names.length ? p.names.join(', ') : undefined],
    ['namespace', p?.allNamespaces ? '(all namespaces)' : p?.namespace],
    ['selector', p?.selector],
    ['read-only', a.level === 'forbidden' ? undefined : String(a.readOnly)],
  ];
  const lines = rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${`${k}:`.padEnd(11)}${v}`);
  lines.push('reasons:', ...a.reasons.map((r) => `  - ${r}`));
  return lines.join('\n');
}

interface Scorer {
  score(line: string): Promise<KubectlAssessment>;
}

/** Scores with the rules only, or (--cluster) also with the blast radius read from the cluster KUBECONFIG names. */
async function createScorer(withCluster: boolean): Promise<Scorer> {
  const config = loadConfig(process.env);
  compileDenyList(config.DENY_COMMANDS); // fail fast, with the entry named, on a malformed deny list
  const policy: RiskPolicy = { protectedNamespaces: config.PROTECTED_NAMESPACES, denyList: config.DENY_COMMANDS, maxReplicas: config.RISK_MAX_REPLICAS };
  if (!withCluster) return { score: async (line) => assessCommand(line, policy) };

  // No cluster at all is said as `serve` says it (an unreachable one stays a per-command "not assessed" reason).
  const { missingClusterReason } = await import('../cluster/probe-cluster.js');
  const missing = missingClusterReason(config);
  if (missing) throw new ConfigError(missing, 'set KUBECONFIG, or leave out --cluster to score by the rules alone');
  const { createKubeConfig } = await import('../cluster/create-kube-config.js');
  const { createClientNodeReader } = await import('../cluster/client-node-reader.js');
  const kc = createKubeConfig(config);
  const reader: ClusterReader = createClientNodeReader(kc);
  const defaultNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  return {
    async score(line) {
      const assessment = assessCommand(line, policy);
      if (assessment.level === 'forbidden' || !assessment.parsed) return assessment;
      try {
        const facts = await gatherBlastRadiusFacts(assessment.parsed, reader, { defaultNamespace });
        return withBlastRadius(assessment, assessBlastRadius(assessment.parsed, facts));
      } catch (error) {
        // Reported, not guessed: the level stays what the rules said and the reason says the check did not run.
        return { ...assessment, reasons: [...assessment.reasons, `blast radius: not assessed: ${(error as Error).message.split('\n')[0]}`] };
      }
    },
  };
}

/**
 * Lines end at "\n" only (one trailing "\r" is dropped). readline would also break at a lone "\r", turning one input
 * line into two records; a carriage return inside a line is a non-printing character the scorer must see and refuse.
 */
async function runBatch(scorer: Scorer): Promise<void> {
  const emit = async (raw: string) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    // One bad line must not end the batch: it is reported as forbidden, with the error, and the next line is read.
    let record: Record<string, unknown>;
    try {
      record = toRecord(await scorer.score(line));
    } catch (error) {
      record = { command: line.slice(0, 200), level: 'forbidden', reasons: [`not scored: ${String((error as Error)?.message ?? error).split('\n')[0]}`], error: true };
    }
    process.stdout.write(`${JSON.stringify(record)}\n`);
  };
  const decoder = new StringDecoder('utf8');
  let buffered = '';
  for await (const chunk of process.stdin) {
    buffered += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let end = buffered.indexOf('\n');
    while (end >= 0) {
      await emit(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      end = buffered.indexOf('\n');
    }
  }
  buffered += decoder.end();
  if (buffered !== '') await emit(buffered);
}

export function registerRiskCommand(program: Command): void {
  program
    .command('risk')
    .description('Score kubectl command lines: level (low|medium|high|forbidden) and every reason. Exits 0 whatever the level.')
    .argument('[command...]', 'the kubectl command, after "--" (e.g. risk -- kubectl delete pod web -n shop), or one quoted line')
    .option('--json', 'print the assessment as JSON')
    .option('--batch', 'read one command line per line on stdin; write one JSON object per line')
    .option('--cluster', 'also read the cluster (KUBECONFIG) to add the blast radius: pods touched, replicas left, PDBs')
    .allowUnknownOption()
    .addHelpText('after', '\nPROTECTED_NAMESPACES and DENY_COMMANDS come from the environment / .env (README, Configuration).')
    .action(async (words: string[], options: { json?: boolean; batch?: boolean; cluster?: boolean }) => {
      const scorer = await createScorer(options.cluster === true);
      if (options.batch) {
        if (words.length > 0) throw new InvalidInputError('risk --batch reads commands from stdin; give no command arguments');
        await runBatch(scorer);
        return;
      }
      if (words.length === 0) throw new InvalidInputError('no command given', 'usage: oncall-agent risk [--json] -- kubectl get pods -n shop');
      const line = words.length === 1 ? words[0] : quoteWords(words);
      const assessment = await scorer.score(line);
      console.log(options.json ? JSON.stringify(toRecord(assessment), null, 2) : formatHuman(assessment));
    });
}
