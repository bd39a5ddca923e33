// What the simulated runtime does with a container: exit code, memory working set and failing probes, from the
// sim annotations or (for exit codes) the first `exit N` of a shell script.
import { quantityOr } from '../controllers/quantity.js';

export const ANNOTATION_PREFIX = 'sim.oncall-agent.dev/';

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  [key: string]: unknown;
}

/** The exit code a container ends with, or undefined when it runs until stopped. */
export function exitCodeFor(container: ContainerSpec, annotations: Record<string, string> | undefined): number | undefined {
  const annotated = annotatedExitCode(container.name, annotations);
  if (annotated !== undefined) return annotated;
  const script = shellScript([...(container.command ?? []), ...(container.args ?? [])]);
  if (script === undefined) return undefined;
  for (const match of script.matchAll(/(?:^|[^\w$-])exit\s+(\d+)/g)) {
    const code = Number(match[1]);
    if (code !== 0) return code % 256;
  }
  return undefined;
}

/** The exit code forced by `sim.oncall-agent.dev/exit-code.<container>`, or undefined. */
export function annotatedExitCode(containerName: string, annotations: Record<string, string> | undefined): number | undefined {
  const annotated = annotations?.[`${ANNOTATION_PREFIX}exit-code.${containerName}`];
  return annotated !== undefined && /^\s*\d+\s*$/.test(annotated) ? Number(annotated) : undefined;
}

/** The SCRIPT of `sh|bash|ash [-flags] -c SCRIPT`, or undefined. */
export function shellScript(argv: string[]): string | undefined {
  if (argv.length < 2) return undefined;
  const shell = argv[0].split('/').pop() ?? '';
  if (!['sh', 'bash', 'ash'].includes(shell)) return undefined;
  for (let i = 1; i < argv.length - 1; i++) {
    const arg = argv[i];
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg)) return argv[i + 1];
    if (!arg.startsWith('-')) return undefined;
  }
  return undefined;
}

/** The working set in MiB declared by annotation, or undefined. */
export function memoryMiFor(containerName: string, annotations: Record<string, string> | undefined): number | undefined {
  const raw = annotations?.[`${ANNOTATION_PREFIX}memory-mi.${containerName}`];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** True when the declared working set exceeds the container's memory limit (no limit: never). */
export function isOomKilled(container: ContainerSpec, annotations: Record<string, string> | undefined): boolean {
  const mi = memoryMiFor(container.name, annotations);
  if (mi === undefined) return false;
  const limit = quantityOr(container.resources?.limits?.memory, NaN);
  if (!Number.isFinite(limit)) return false;
  return mi * 2 ** 20 > limit;
}

export interface ProbeFailures {
  readiness: boolean;
  liveness: boolean;
}

export function failingProbes(containerName: string, annotations: Record<string, string> | undefined): ProbeFailures {
  const raw = (annotations?.[`${ANNOTATION_PREFIX}probe-fail.${containerName}`] ?? '').trim().toLowerCase();
  return { readiness: raw === 'readiness' || raw === 'both', liveness: raw === 'liveness' || raw === 'both' };
}

/** Log lines for `kubectl logs`, from `sim.oncall-agent.dev/log.<container>`. */
export function logLinesFor(containerName: string, annotations: Record<string, string> | undefined): string[] {
  const raw = annotations?.[`${ANNOTATION_PREFIX}log.${containerName}`];
  return raw === undefined ? [] : raw.split('\n');
}
