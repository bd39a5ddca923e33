import type { AuditEvent, ObjectRef } from './audit.js';
import type { KubeObject, ListOptions, LogOptions, ReadableKind } from './kube.js';

/** Read-only view of the cluster (implemented over @kubernetes/client-node in cluster/). */
export interface ClusterReader {
  /** Undefined when the object does not exist. Cluster-scoped kinds ignore namespace. */
  get(kind: ReadableKind, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  /** namespace undefined = all namespaces. */
  list(kind: ReadableKind, namespace: string | undefined, options?: ListOptions): Promise<KubeObject[]>;
  /** Container log text; empty string when there is none. */
  readLog(namespace: string, pod: string, options?: LogOptions): Promise<string>;
  /**
   * The names of a namespace's Secrets and nothing else, from a metadata-only list (never their data, type or
   * annotations). Optional: a reader that cannot ask for metadata alone leaves it out, and Secrets go unlisted.
   */
  listSecretNames?(namespace: string): Promise<string[]>;
}

/** Writes a core/v1 Event on an object (used by the audit trail). */
export interface ClusterEventWriter {
  recordEvent(target: ObjectRef, reason: string, message: string, type?: 'Normal' | 'Warning'): Promise<void>;
}

export interface KubectlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** True when stdout or stderr hit the output cap and was cut. */
  truncated: boolean;
}

/** Runs kubectl with an argv array (never a shell); adds the agent's own --kubeconfig/--context. */
export interface KubectlRunner {
  run(args: string[], options?: { timeoutMs?: number; signal?: AbortSignal; stdin?: string }): Promise<KubectlResult>;
}

/** Where audit events go. Implementations redact before writing. */
export interface AuditSink {
  write(event: AuditEvent): Promise<void>;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
