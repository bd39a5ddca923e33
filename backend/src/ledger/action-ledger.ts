// The action ledger: a durable record of each write the agent intends, did, verified and rolled back, kept apart from
// the safety store. It is what makes a write exactly-once across a crash: the intent (with the snapshot to roll
// back to) is stored before kubectl runs, so a retry, a stalled-job recovery or a second worker finds it and decides
// from it and from the cluster instead of running the write again.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../domain/kube.js';
import type { CommandTarget } from '../execute/target-of.js';

/** One snapshot as the ledger keeps it: what rollback needs, Secret data removed. */
export interface LedgerSnapshot {
  target: CommandTarget;
  object?: KubeObject;
  absent?: true;
  takenAt: number;
}

export interface LedgerIntent {
  incidentId: string;
  index: number;
  /** The approved plan's hash, or (YOLO) the hash of the command itself. */
  planHash: string;
  command: string;
  /** The exact argv after `kubectl` that will run. */
  argv: string[];
  /** The worker and incident that own the target locks for this write. */
  owner: string;
  lockKeys: string[];
  snapshots: LedgerSnapshot[];
  at: number;
}

export interface LedgerResult {
  /** null when a retry inferred from the cluster that the write landed (the process that ran it died first). */
  exitCode: number | null;
  timedOut?: boolean;
  durationMs?: number;
  inferred?: string;
  at: number;
}

export interface LedgerVerdict {
  /** inconclusive: done but unverified (the cluster could not be read); a later attempt verifies it again. */
  status: 'verified' | 'unverifiable' | 'failed' | 'inconclusive';
  detail: string;
  at: number;
}

export interface LedgerRollback {
  attempted: boolean;
  restored: boolean;
  detail: string;
  at: number;
}

/** A retry's single permitted re-run of a write that provably did not land. */
export interface LedgerRerun {
  owner: string;
  why: string;
  at: number;
}

export interface LedgerEntry {
  key: string;
  intent: LedgerIntent;
  result?: LedgerResult;
  verdict?: LedgerVerdict;
  rollback?: LedgerRollback;
  rerun?: LedgerRerun;
  /** Set once the action's final verdict was reported to the breaker. */
  breakerCounted?: boolean;
}

export type LedgerField = 'result' | 'verdict' | 'rollback';

/** The port. Redis (shared by every worker) or a STATE_DIR file store (one process, no Redis). */
export interface ActionLedger {
  /** Stores the intent unless one exists for this key; true when this call stored it. */
  claimIntent(key: string, intent: LedgerIntent, ttlMs: number): Promise<boolean>;
  /** Records (overwrites) one later stage of the entry. */
  record(key: string, field: 'result', value: LedgerResult): Promise<void>;
  record(key: string, field: 'verdict', value: LedgerVerdict): Promise<void>;
  record(key: string, field: 'rollback', value: LedgerRollback): Promise<void>;
  /** Atomically claims the single re-run; false when another attempt already did. */
  claimRerun(key: string, rerun: LedgerRerun): Promise<boolean>;
  /** Atomically marks the breaker as told about this action; false when it already was. */
  claimBreakerCount(key: string): Promise<boolean>;
  read(key: string): Promise<LedgerEntry | undefined>;
  /** Every entry of one incident, in action order. */
  listIncident(incidentId: string): Promise<LedgerEntry[]>;
  close(): Promise<void>;
}

/** The ledger key of one action of one incident: the same step with the same command is the same write. */
export function ledgerKeyOf(incidentId: string, index: number, command: string): string {
  return `${incidentId}:${index}:${commandHashOf(command)}`;
}

export function commandHashOf(command: string): string {
  return createHash('sha256').update(command).digest('hex').slice(0, 16);
}

/** The snapshot without Secret data (and without managedFields, which rollback never reads). */
export function redactSnapshotForLedger(snapshot: LedgerSnapshot): LedgerSnapshot {
  if (!snapshot.object) return snapshot;
  const object = structuredClone(snapshot.object) as KubeObject & { data?: unknown; stringData?: unknown };
  if (object.kind === 'Secret' || snapshot.target.resource === 'secrets') {
    delete object.data;
    delete object.stringData;
  }
  delete (object.metadata as { managedFields?: unknown }).managedFields;
  return { ...snapshot, object };
}

export function sortEntries(entries: LedgerEntry[]): LedgerEntry[] {
  return entries.sort((a, b) => a.intent.index - b.intent.index || a.intent.at - b.intent.at);
}
