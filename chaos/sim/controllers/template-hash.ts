// pod-template-hash like the Deployment controller's: FNV-32a of the pod template (plus collisionCount), its
// decimal digits mapped through rand.SafeEncodeString's alphabet ("7688c475d8", "9bd7bbb9d").

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(text, 'utf8');
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length];
  return out;
}

/** The template without the pod-template-hash label (what the controller compares and hashes). */
export function templateWithoutHash(template: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(template ?? {})) as { metadata?: { labels?: Record<string, string> } };
  if (copy.metadata?.labels) {
    delete copy.metadata.labels['pod-template-hash'];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return copy as Record<string, unknown>;
}

export function computeTemplateHash(template: unknown, collisionCount?: number): string {
  const text = stableStringify(templateWithoutHash(template)) + (collisionCount ? `#${collisionCount}` : '');
  return safeEncodeString(String(fnv32a(text)));
}

/** EqualIgnoreHash: two pod templates are the same rollout revision. */
export function templatesEqual(a: unknown, b: unknown): boolean {
  return stableStringify(templateWithoutHash(a)) === stableStringify(templateWithoutHash(b));
}
