import { redactEnvValue, redactText } from '../redaction/redact.js';
import type { KubeObject } from '../domain/kube.js';

/** Cuts text to max characters, saying how much was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters cut]`;
}

/**
 * Text from the cluster (logs, event messages) wrapped as labelled, redacted data. The fence tag is neutralised
 * inside the text so a log line cannot close the fence and pose as instructions.
 */
export function fenceUntrusted(label: string, text: string): string {
  const body = redactText(text).replace(/<\/?untrusted-data/gi, (m) => m.replace('<', '‹'));
  return `<untrusted-data source="${label.replace(/["<>]/g, '')}">\n${body}\n</untrusted-data>`;
}

/** One short redacted line of cluster-supplied text (event or condition messages). */
export function cleanMessage(text: unknown, max = 240): string | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  return truncate(redactText(text.replace(/\s+/g, ' ').trim()), max);
}

/** Seconds since an ISO timestamp, or undefined. */
export function ageSeconds(ts: unknown, now = Date.now()): number | undefined {
  if (typeof ts !== 'string') return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.round((now - t) / 1000));
}

/** A container's env as name → redacted literal value or a reference; secret values are never read. */
export function summariseEnv(env: unknown, max = 30): Record<string, string> | undefined {
  if (!Array.isArray(env) || env.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const entry of env.slice(0, max) as Array<Record<string, unknown>>) {
    const name = String(entry.name ?? '?');
    const from = entry.valueFrom as Record<string, Record<string, unknown>> | undefined;
    if (from?.secretKeyRef) out[name] = `<secretKeyRef ${String(from.secretKeyRef.name)}/${String(from.secretKeyRef.key)}>`;
    else if (from?.configMapKeyRef) out[name] = `<configMapKeyRef ${String(from.configMapKeyRef.name)}/${String(from.configMapKeyRef.key)}>`;
    else if (from?.fieldRef) out[name] = `<fieldRef ${String(from.fieldRef.fieldPath)}>`;
    else if (from) out[name] = '<valueFrom>';
    else out[name] = truncate(redactEnvValue(name, String(entry.value ?? '')) ?? '', 120);
  }
  if (env.length > max) out['…'] = `${env.length - max} more`;
  return out;
}

/** envFrom sources as references only. */
export function summariseEnvFrom(envFrom: unknown): string[] | undefined {
  if (!Array.isArray(envFrom) || envFrom.length === 0) return undefined;
  return (envFrom as Array<Record<string, { name?: string }>>).map((e) =>
    e.secretRef ? `secretRef ${e.secretRef.name}` : e.configMapRef ? `configMapRef ${e.configMapRef.name}` : 'envFrom',
  );
}

/** Conditions reduced to type=status, with reason/message only when not True (the interesting ones). */
export function summariseConditions(conditions: unknown): Array<Record<string, unknown>> | undefined {
  if (!Array.isArray(conditions)) return undefined;
  return (conditions as Array<Record<string, unknown>>).map((c) => ({
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: cleanMessage(c.message, 200) } : {}),
  }));
}

export function ref(obj: KubeObject): string {
  return `${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name ?? '?'}`;
}

/** A label map as a selector string ("app=web,tier=fe"). */
export function selectorOf(labels: Record<string, string> | undefined): string | undefined {
  if (!labels || Object.keys(labels).length === 0) return undefined;
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function errorMessage(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}
