// Which image references "exist" for the simulated container runtime, and the error a real containerd gives
// for those that do not. Every repository of the program model (program/image-programs.ts) exists too.
import { modelledRepositories } from './program/image-programs.js';

/** A parsed image reference, normalised the way containerd does (docker.io/library/nginx:latest). */
export interface ImageRef {
  /** The reference exactly as written in the pod spec. */
  raw: string;
  /** Registry host, e.g. docker.io, registry.k8s.io, sim.local. */
  host: string;
  /** Repository path without host, e.g. library/nginx, polinux/stress. */
  repository: string;
  tag: string;
  digest?: string;
  /** host/repository:tag (or @digest). */
  canonical: string;
}

export type PullResult = { ok: true } | { ok: false; code: 'NotFound' | 'Unknown'; message: string };

/** Decides whether an image can be pulled. */
export interface ImageCatalog {
  pull(image: string): PullResult;
}

export interface ImageCatalogOptions {
  /** Extra references that exist (exact, normalised or not). */
  extraImages?: string[];
  /** Repositories (normalised, e.g. "docker.io/myorg/app") whose every tag follows the version/named-tag rules. */
  extraRepositories?: string[];
}

const KNOWN_REPOSITORIES = new Set([
  'docker.io/library/nginx',
  'docker.io/library/busybox',
  'docker.io/library/redis',
  'docker.io/library/postgres',
  'docker.io/polinux/stress',
  'registry.k8s.io/pause',
]);

const NAMED_TAGS = ['latest', 'stable', 'mainline', 'alpine', 'slim', 'perl', 'bookworm', 'bullseye', 'buster', 'trixie', 'musl', 'glibc', 'uclibc', 'lts', 'jammy', 'focal', 'noble', 'current', 'management'];
const VARIANTS = new Set([
  ...NAMED_TAGS.filter((t) => t !== 'latest' && t !== 'stable' && t !== 'mainline' && t !== 'current'),
  'otel',
  'oracle',
  'debian',
]);
/** Major versions that exist per repository, where they go past the default (0-8). */
const MAJORS: Record<string, [number, number]> = {
  'library/node': [4, 24],
  'library/ubuntu': [12, 25],
  'library/debian': [7, 13],
  'library/mysql': [5, 9],
  'library/mariadb': [10, 11],
  'library/mongo': [3, 8],
  'library/python': [2, 3],
  'library/golang': [1, 1],
  'library/httpd': [2, 2],
  'library/redis': [2, 8],
  'library/alpine': [3, 3],
};
/** A variant suffix: words joined by '-', each a known variant optionally followed by its version (alpine3.19). */
const isVariant = (variant: string): boolean => variant.split('-').every((w) => VARIANTS.has(w.replace(/[\d.]+$/, '')));
const NEVER_WORDS = ['does-not-exist', 'nonexistent', 'invalid'];

export function parseImageRef(raw: string): ImageRef {
  let rest = raw.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  let host = 'docker.io';
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    host = parts.shift() as string;
  }
  if (host === 'index.docker.io') host = 'docker.io';
  let repository = parts.join('/');
  if (host === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (!tag && !digest) tag = 'latest';
  const canonical = `${host}/${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { raw, host, repository, tag, digest, canonical };
}

/** Tag "latest" or no tag at all: the kubelet defaults imagePullPolicy to Always. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const ref = parseImageRef(image);
  return ref.tag === 'latest' && !ref.digest ? 'Always' : 'IfNotPresent';
}

function isVersionTag(tag: string, repository: string): boolean {
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([a-z][a-z0-9.-]*))?$/.exec(tag);
  if (!match) return false;
  const [, major, minor, patch, variant] = match;
  if ([major, minor, patch].some((p) => p !== undefined && p.length > 2)) return false;
  if (variant !== undefined && !isVariant(variant)) return false;
  const m = Number(major);
  const range = MAJORS[repository];
  if (range) return m >= range[0] && m <= range[1];
  if (m < 9) return true;
  if (repository !== 'library/postgres') return false;
  if (m === 9) return minor === '6';
  return m >= 10 && m <= 17;
}

function isNamedTag(tag: string): boolean {
  if (NAMED_TAGS.includes(tag)) return true;
  const named = /^(stable|mainline|lts|current)-([a-z][a-z0-9.-]*)$/.exec(tag);
  if (named) return isVariant(named[2]);
  return /^[a-z]/.test(tag) && isVariant(tag);
}

export function createImageCatalog(options: ImageCatalogOptions = {}): ImageCatalog {
  const extra = new Set((options.extraImages ?? []).map((i) => parseImageRef(i).canonical));
  const repositories = new Set([...KNOWN_REPOSITORIES, ...modelledRepositories(), ...(options.extraRepositories ?? [])]);
  return {
    pull(image) {
      const ref = parseImageRef(image);
      const canonical = ref.canonical;
      if (ref.host.endsWith('.invalid')) {
        const path = `${ref.repository}/manifests/${ref.digest ?? ref.tag}`;
        return {
          ok: false,
          code: 'Unknown',
          message: `failed to pull and unpack image "${canonical}": failed to resolve reference "${canonical}": failed to do request: Head "https://${ref.host}/v2/${path}": dial tcp: lookup ${ref.host}: no such host`,
        };
      }
      const notFound: PullResult = {
        ok: false,
        code: 'NotFound',
        message: `failed to pull and unpack image "${canonical}": failed to resolve reference "${canonical}": ${canonical}: not found`,
      };
      if (extra.has(canonical)) return { ok: true };
      if (ref.host === 'sim.local' && !NEVER_WORDS.some((w) => ref.tag.includes(w) || ref.repository.includes(w))) return { ok: true };
      const known = repositories.has(`${ref.host}/${ref.repository}`) && !NEVER_WORDS.some((w) => ref.repository.includes(w));
      // Docker Hub answers an anonymous pull of a repository it does not have exactly as it answers one of a private
      // repository (401, insufficient_scope): containerd cannot tell the two apart, and neither can the kubelet.
      if (!known && ref.host === 'docker.io') {
        return {
          ok: false,
          code: 'Unknown',
          message: `failed to pull and unpack image "${canonical}": failed to resolve reference "${canonical}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
        };
      }
      if (!known || NEVER_WORDS.some((w) => ref.tag.includes(w))) return notFound;
      if (ref.digest && !ref.tag) return { ok: true };
      return isNamedTag(ref.tag) || isVersionTag(ref.tag, ref.repository) ? { ok: true } : notFound;
    },
  };
}

/** The message of the kubelet's "Failed" event for a failed pull. */
export function formatPullFailure(image: string, result: Extract<PullResult, { ok: false }>): string {
  return `Failed to pull image "${image}": rpc error: code = ${result.code} desc = ${result.message}`;
}
