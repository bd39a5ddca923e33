// Pure redaction for anything that leaves the process: model context, logs, audit records, PagerDuty notes.
// Errs on the side of hiding: a false positive costs a little context, a false negative leaks a credential.

const REDACTED = '[REDACTED]';

/** Key names whose values are credentials wherever they appear (env var names, JSON keys, k=v pairs). */
const SECRET_KEY = /(pass(word|wd)?|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|auth(orization)?|session|cookie|signature|client[-_]?key|dsn|conn(ection)?[-_]?str(ing)?)/i;

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization headers and bearer tokens.
  [/\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1 ${REDACTED}`],
  // PEM blocks (private keys, certificates).
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g, REDACTED],
  // JWTs.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Well-known token shapes: Anthropic/OpenAI keys, GitHub, Slack, AWS access key ids, Google API keys.
  [/\bsk-(ant-)?[A-Za-z0-9_-]{10,}/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, REDACTED],
  // Kubeconfig credential fields and base64 cert/key data.
  [/((?:client-key-data|client-certificate-data|certificate-authority-data|token|password|id-token|refresh-token)\s*:\s*)\S+/gi, `$1${REDACTED}`],
  // URLs with user:password@.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s:/@]+:[^\s@/]+@/gi, `$1${REDACTED}@`],
  // key=value / key: value / "key": "value" where the key names a secret. Bounded key length: an unbounded
  // [A-Za-z0-9_.-]* here is quadratic on long tokens (a hostile 50 KB alert field took seconds).
  [
    /(["']?)([A-Za-z0-9_.-]{0,64}(?:pass(?:word|wd)?|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|auth|cookie|signature)[A-Za-z0-9_.-]{0,64})\1(\s*[:=]\s*)(["']?)([^\s"',;&]+)\4/gi,
    `$1$2$1$3$4${REDACTED}$4`,
  ],
];

/** Redacts credentials in free text (log lines, event messages, command output, alert text). */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** True when a key name (env var, JSON field, annotation) says its value is a credential. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Deep copy with secret-named keys replaced and every string run through redactText.
 * Bounded depth so hostile input cannot make it recurse forever.
 */
export function redactValue<T>(value: T, depth = 0): T {
  if (depth > 32) return REDACTED as unknown as T;
  if (typeof value === 'string') return redactText(value) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1)) as unknown as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      // Keys ending in "tokens" are counts (inputTokens, cache_read_input_tokens), not credentials.
      const hide = isSecretKey(key) && !/tokens$/i.test(key) && (typeof v === 'string' || typeof v === 'number');
      out[key] = hide ? REDACTED : redactValue(v, depth + 1);
    }
    return out as T;
  }
  return value;
}

/** A container env entry, redacted: literal values of secret-looking names or values are hidden. */
export function redactEnvValue(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (isSecretKey(name)) return REDACTED;
  const cleaned = redactText(value);
  if (cleaned !== value) return cleaned;
  // Long high-entropy strings are probably credentials even under an innocent name.
  if (value.length >= 24 && /^[A-Za-z0-9+/=_-]+$/.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value)) return REDACTED;
  return value;
}

export { REDACTED };

/**
 * Structural redaction of Kubernetes objects (kubectl -o json/yaml output, snapshots): Secret data and stringData
 * values, env values whose name or value looks like a credential, then every string through redactText.
 */
export function redactKubeObjects<T>(value: T, depth = 0): T {
  if (depth > 64) return REDACTED as unknown as T;
  if (Array.isArray(value)) return value.map((v) => redactKubeObjects(v, depth + 1)) as unknown as T;
  if (!value || typeof value !== 'object') return redactValue(value);
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const isSecret = object.kind === 'Secret';
  const isEnvVar = typeof object.name === 'string' && 'value' in object && Object.keys(object).every((k) => ['name', 'value', 'valueFrom'].includes(k));
  for (const [key, v] of Object.entries(object)) {
    if (isSecret && (key === 'data' || key === 'stringData') && v && typeof v === 'object') {
      out[key] = Object.fromEntries(Object.keys(v as object).map((k) => [k, REDACTED]));
    } else if (isEnvVar && key === 'value' && typeof v === 'string') {
      out[key] = redactEnvValue(object.name as string, v);
    } else if (key === 'kubectl.kubernetes.io/last-applied-configuration' && typeof v === 'string') {
      // The last-applied copy of a Secret (or of env values) would undo everything above.
      out[key] = REDACTED;
    } else {
      out[key] = isSecretKey(key) && (typeof v === 'string' || typeof v === 'number') && !/tokens$/i.test(key) ? REDACTED : redactKubeObjects(v, depth + 1);
    }
  }
  return out as T;
}
