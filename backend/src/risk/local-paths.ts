/**
 * What a path-like argument (-f, -k, `kubectl kustomize DIR`, a cp side) means on the agent's machine. Classified by
 * structure, never by a list of examples: a value either is remote (kubectl or kustomize would fetch it), or escapes
 * the working directory, or names a place credentials live, or is an ordinary relative path. Pure.
 */

export type PathClass =
  | { kind: 'remote'; why: string }
  | { kind: 'stdin' }
  | { kind: 'escapes'; why: string }
  | { kind: 'secret-location'; why: string }
  | { kind: 'relative' };

/**
 * Path segments and file names where credentials live. Compared lower-cased against every segment. A dot-directory
 * or dot-file anywhere in the path (.env, .kube, .ssh, .aws, .git, .npmrc…) is already a secret location by rule.
 */
export const SECRET_LOCATIONS: readonly RegExp[] = [
  /^kubeconfig/, /^id_(rsa|dsa|ecdsa|ed25519)/, /\.(pem|key|p12|pfx|jks|keystore|kdbx|ppk|gpg|asc|crt|cer|der|csr|env)$/,
  /^credentials?(\.|$)/, /^(passwd|shadow|gshadow|htpasswd|netrc|pgpass|authorized_keys|known_hosts)$/, /^token(s)?(\.|$)/,
  /^node_modules$/,
];

/** The agent's own state, by file name: the audit trail, the kill switch, the breaker files, the code. */
export const AGENT_STATE_NAMES: readonly RegExp[] = [/audit/, /kill[-_]?switch/, /breaker/, /^package(-lock)?\.json$/, /^backend$/, /^dist$/];

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** go-getter and kustomize prefixes that force a protocol: git::, gh:, s3::, hg::… */
const FORCED_PROTOCOL = /^[a-z0-9]+::|^gh:/i;
/** SCP-style "user@host:path" for any user, and "host:path": any colon before the first slash. */
const SCP_STYLE = /^[^/\s]*@[^/\s]*:|^[^/\s]+:/i;
/** "github.com/org/repo", "gitlab.example.com/x": the first segment is a domain name (has a dot and a letter TLD). */
const HOST_FIRST = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:\d+)?\//i;

/** Why kubectl or kustomize would fetch this value from the network, or undefined when it is not remote. */
export function remoteReason(value: string): string | undefined {
  if (SCHEME.test(value)) return 'a URL';
  if (FORCED_PROTOCOL.test(value)) return 'a forced-protocol source (git::, gh:, …)';
  if (SCP_STYLE.test(value)) return 'an SCP-style git remote (user@host:path or host:path)';
  if (HOST_FIRST.test(value)) return 'a repository on a host (host/org/repo)';
  // kustomize's repo markers: a query (?ref=, ?version=, ?timeout=), "//" between repo and sub-path, _git, .git.
  if (/\?/.test(value)) return 'a remote reference with a query (?ref=…)';
  if (/\/\/|(^|\/)_git(\/|$)|\.git(\/|$)/i.test(value)) return 'a git repository path (//, _git, .git)';
  return undefined;
}

/** Classifies one path argument as the agent's kubectl would see it (relative to the agent's working directory). */
export function classifyPath(value: string): PathClass {
  const remote = remoteReason(value);
  if (remote) return { kind: 'remote', why: remote };
  if (value === '-') return { kind: 'stdin' };
  if (value === '') return { kind: 'escapes', why: 'an empty path' };
  if (value.startsWith('/') || value.startsWith('\\')) return { kind: 'escapes', why: 'an absolute path' };
  if (value.startsWith('~')) return { kind: 'escapes', why: 'a home-directory path' };
  const segments = value.split(/[/\\]+/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { kind: 'escapes', why: 'a path that climbs out of the working directory (..)' };
  for (const raw of segments) {
    const segment = raw.toLowerCase();
    if (segment.startsWith('.')) return { kind: 'secret-location', why: `a hidden file or directory ("${raw}")` };
    if (SECRET_LOCATIONS.some((re) => re.test(segment))) return { kind: 'secret-location', why: `a place credentials live ("${raw}")` };
    if (AGENT_STATE_NAMES.some((re) => re.test(segment))) return { kind: 'secret-location', why: `the agent's own state or code ("${raw}")` };
  }
  return { kind: 'relative' };
}

/** True when a `kubectl cp` argument names a pod ("[ns/]pod:path"); anything else is a path on the agent's machine. */
export const isPodPath = (arg: string): boolean => /^([^/:]+\/)?[^/:]+:/.test(arg);
