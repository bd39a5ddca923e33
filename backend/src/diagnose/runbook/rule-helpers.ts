// Small helpers the rules share: naming the workload, fencing logs, the meaning of exit codes.
import { fenceUntrusted } from '../../tools/format.js';
import type { RunbookFacts } from './gather-runbook-facts.js';

export function nameOf(facts: RunbookFacts): string {
  const w = facts.workload;
  if (w) return `${w.kind === 'Pod' ? 'pod' : w.kind.toLowerCase()} ${w.name}`;
  return `${(facts.target.kind ?? 'target').toLowerCase()} ${facts.target.name ?? facts.target.selector ?? ''}`.trim();
}

/**
 * What a person must do where the agent proposes no write: a bare Pod's spec and a Job's pod template cannot be
 * changed in place (recreate them); a CronJob's job template can, and its next run uses it.
 */
export function recreateStep(facts: RunbookFacts, change: string): string {
  const w = facts.workload;
  if (w?.kind === 'Pod') return `recreate pod ${w.name} (a bare Pod, its spec cannot be changed) with ${change}`;
  if (w?.kind === 'Job') return `recreate job ${w.name} (a Job's pod template cannot be changed) with ${change}`;
  if (w?.kind === 'CronJob') return `change cronjob ${w.name}'s job template: ${change} (its next run uses it)`;
  return change;
}

const EXIT_CODES: Record<number, string> = {
  0: 'exited successfully (a long-running container must not exit)',
  1: 'a generic application error',
  2: 'misuse of a shell builtin or bad arguments',
  126: 'the command was found but is not executable (permissions or wrong binary format)',
  127: 'command not found (a wrong command/entrypoint or a missing binary in the image)',
  128: 'an invalid exit argument',
  137: 'killed by SIGKILL (OOM kill, or killed after the grace period / a failed liveness probe)',
  139: 'a segmentation fault (SIGSEGV)',
  143: 'terminated by SIGTERM (stopped by the kubelet or the process asked to shut down)',
};

export function exitCodeMeaning(code: number | undefined): string {
  if (code === undefined) return 'no exit code recorded';
  if (EXIT_CODES[code]) return EXIT_CODES[code];
  if (code > 128 && code < 160) return `killed by signal ${code - 128}`;
  return 'an application-defined error code';
}

/** The last few lines of a log, redacted and fenced as untrusted data. */
export function fencedTail(label: string, text: string | undefined, lines = 5): string | undefined {
  if (!text) return undefined;
  const tail = text.split('\n').filter((l) => l.trim() !== '').slice(-lines).join('\n').slice(-800);
  return tail ? fenceUntrusted(label, tail) : undefined;
}

/** Levenshtein distance, bounded small strings (object names). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Names close to `wanted`: edit distance ≤ max(2, a third of its length), or one contains the other. Closest first. */
export function similarNames(wanted: string, names: string[]): string[] {
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return names
    .filter((n) => n !== wanted)
    .map((n) => ({ n, d: editDistance(wanted, n) }))
    .filter(({ n, d }) => d <= limit || n.includes(wanted) || wanted.includes(n))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .map(({ n }) => n)
    .slice(0, 3);
}

export const quote = (s: string) => `'${s}'`;
