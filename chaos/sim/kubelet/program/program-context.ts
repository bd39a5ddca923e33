// What the engine knows about one container before running it: its image's program model, environment, volume
// mounts, working directory and memory limits. Built from the pod spec; pure.
import { quantityOr } from '../../controllers/quantity.js';
import type { ContainerSpec } from '../container-behaviour.js';
import { parseImageRef } from '../image-catalog.js';
import type { ImageProgram } from './image-programs.js';
import { findImageProgram } from './image-programs.js';

export interface Mount {
  path: string;
  /** configMap/secret/projected files exist with `mode`; tmpfs is memory-backed; other = contents unknown. */
  kind: 'files' | 'tmpfs' | 'other';
  mode?: number;
}

export interface ProgramContext {
  /** undefined: an image kube-sim does not model (its files and programs are unknown). */
  program?: ImageProgram;
  env: Map<string, string>;
  /** Variables set from references (fieldRef, configMapKeyRef ...) whose value the engine does not resolve. */
  unknownEnv: Set<string>;
  mounts: Mount[];
  workingDir: string;
  /** envFrom is used: a variable we do not see may still be set. */
  envFromUnknown?: boolean;
  memoryLimitMi?: number;
  nodeMemoryMi: number;
  podName: string;
}

interface VolumeSpec {
  name: string;
  configMap?: { defaultMode?: number };
  secret?: { defaultMode?: number };
  projected?: { defaultMode?: number };
  emptyDir?: { medium?: string };
  downwardAPI?: { defaultMode?: number };
}

const DEFAULT_FILE_MODE = 0o644;

export function buildProgramContext(spec: ContainerSpec, podSpec: Record<string, unknown> | undefined, podName: string, nodeMemoryMi: number): ProgramContext {
  const ref = parseImageRef(spec.image ?? '');
  const env = new Map<string, string>([
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', podName],
    ['HOME', '/root'],
  ]);
  const unknownEnv = new Set<string>();
  for (const e of (spec.env ?? []) as Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath?: string } } }>) {
    if (e.valueFrom) {
      if (e.valueFrom.fieldRef?.fieldPath === 'metadata.name') env.set(e.name, podName);
      else unknownEnv.add(e.name);
    } else {
      env.set(e.name, e.value ?? '');
      unknownEnv.delete(e.name);
    }
  }
  // envFrom brings names we cannot list without the referenced objects: treat them as set but unknown.
  const hasEnvFrom = Array.isArray(spec.envFrom) && spec.envFrom.length > 0;
  const volumes = new Map(((podSpec?.volumes ?? []) as VolumeSpec[]).map((v) => [v.name, v]));
  const mounts: Mount[] = [];
  for (const m of (spec.volumeMounts ?? []) as Array<{ name: string; mountPath: string; subPath?: string }>) {
    const v = volumes.get(m.name);
    const path = m.mountPath.replace(/\/+$/, '') || '/';
    const files = v?.configMap ?? v?.secret ?? v?.projected ?? v?.downwardAPI;
    if (files) mounts.push({ path, kind: 'files', mode: m.subPath ? DEFAULT_FILE_MODE : (files.defaultMode ?? DEFAULT_FILE_MODE) });
    else if (v?.emptyDir?.medium === 'Memory') mounts.push({ path, kind: 'tmpfs' });
    else mounts.push({ path, kind: 'other' });
  }
  const limit = quantityOr(spec.resources?.limits?.memory, NaN);
  const context: ProgramContext = {
    program: findImageProgram(`${ref.host}/${ref.repository}`),
    env,
    unknownEnv,
    mounts,
    workingDir: typeof spec.workingDir === 'string' ? spec.workingDir : '/',
    memoryLimitMi: Number.isFinite(limit) ? limit / 2 ** 20 : undefined,
    nodeMemoryMi,
    podName,
  };
  if (hasEnvFrom) context.envFromUnknown = true;
  return context;
}

/** Where a path points: an executable file, a file without exec bits, nothing, or something we cannot know. */
export type PathState = 'exec' | 'noexec' | 'missing' | 'unknown';

const STANDARD_DIRS = ['/bin/', '/usr/bin/', '/usr/local/bin/', '/sbin/', '/usr/sbin/', '/usr/local/sbin/'];

export function resolvePath(path: string, ctx: ProgramContext): PathState {
  const absolute = path.startsWith('/') ? path : `${ctx.workingDir.replace(/\/$/, '')}/${path.replace(/^\.\//, '')}`;
  const mount = ctx.mounts.filter((m) => absolute === m.path || absolute.startsWith(`${m.path}/`)).sort((a, b) => b.path.length - a.path.length)[0];
  if (mount) {
    if (mount.kind !== 'files') return 'unknown';
    return ((mount.mode ?? DEFAULT_FILE_MODE) & 0o111) !== 0 ? 'exec' : 'noexec';
  }
  if (!ctx.program) return 'unknown';
  if (ctx.program.executables.includes(absolute)) return 'exec';
  const dir = STANDARD_DIRS.find((d) => absolute.startsWith(d));
  if (dir && ctx.program.executables.includes(absolute.slice(dir.length))) return 'exec';
  if (['/bin/sh', '/bin/ash'].includes(absolute) && ctx.program.shell !== 'none') return 'exec';
  if (absolute.startsWith('/dev/') || absolute.startsWith('/proc/') || absolute.startsWith('/etc/') || absolute.startsWith('/tmp/')) return 'unknown';
  return 'missing';
}

/** Whether a bare command name is on $PATH in the image. */
export function onPath(name: string, ctx: ProgramContext): PathState {
  if (!ctx.program) return 'unknown';
  if (ctx.program.shell === 'none') return ctx.program.executables.includes(name) ? 'exec' : 'missing';
  return ctx.program.executables.includes(name) || (name === 'bash' && ctx.program.bash) ? 'exec' : 'missing';
}
