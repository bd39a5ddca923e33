import type { WritebackJobData, WritebackStep } from '../queue/job-schemas.js';
import { PagerDutyCallError } from './call-with-retry.js';
import type { EventsClient } from './events-client.js';
import { composeNote, refLine } from './notes/note-text.js';
import { renderHeldResolutionNote, renderResolutionNote } from './notes/render-notes.js';
import type { PagerDutyNote, PagerDutyWriter } from './rest-writer.js';
import type { WritebackLedger } from './writeback-ledger.js';

// Runs one write-back job's steps in order. A step whose ref is in the ledger is skipped, so a retried job never
// repeats a write; a note an earlier attempt posted without hearing back is found by its ref line. A step PagerDuty
// refuses for good (4xx) is recorded and the job moves on; a passing failure (429, 5xx, network) stops the attempt and
// the queue retries the job later, until giveUpAt.

export interface WritebackPorts {
  writer: PagerDutyWriter;
  /** Absent without PAGERDUTY_ROUTING_KEY: change events are skipped. */
  events?: EventsClient;
  ledger: WritebackLedger;
  /** A fresh read of the target before resolving; absent: never resolve. */
  recheck?(target: { kind: string; namespace?: string; name: string }, signal?: AbortSignal): Promise<{ clean: boolean; detail: string }>;
}

export type StepResult = 'delivered' | 'already' | 'skipped' | 'failed';

export interface StepReport {
  ref: string;
  type: WritebackStep['type'];
  result: StepResult;
  detail?: string;
}

/** A passing failure: the job should be retried (or given up when past its deadline). */
export class WritebackRetryableError extends Error {
  constructor(
    message: string,
    readonly done: StepReport[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WritebackRetryableError';
  }
}

export async function deliverWriteback(job: WritebackJobData, ports: WritebackPorts, options: { attempt: number; signal?: AbortSignal }): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  // Read once per attempt, and only on a retry: an earlier attempt may have posted a note whose answer it never got.
  let existing: PagerDutyNote[] | undefined;
  const alreadyPosted = async (ref: string): Promise<boolean> => {
    if (options.attempt <= 1) return false;
    existing ??= await ports.writer.listNotes(job.incidentId, options.signal);
    const line = refLine(ref);
    return existing.some((n) => n.content.split('\n').some((l) => l.trim() === line));
  };
  const postNote = async (ref: string, content: string): Promise<StepResult> => {
    if (await alreadyPosted(ref)) return 'already';
    await ports.writer.addNote(job.incidentId, content, options.signal);
    return 'delivered';
  };

  for (const step of job.steps) {
    options.signal?.throwIfAborted();
    if (await ports.ledger.has(step.ref)) {
      reports.push({ ref: step.ref, type: step.type, result: 'already' });
      continue;
    }
    try {
      const { result, detail } = await runStep(step);
      await ports.ledger.mark(step.ref);
      reports.push({ ref: step.ref, type: step.type, result, detail });
    } catch (error) {
      if (error instanceof PagerDutyCallError && !error.retryable) {
        // Refused for good (bad token, rejected body): retrying cannot help; record it and go on.
        await ports.ledger.mark(step.ref);
        reports.push({ ref: step.ref, type: step.type, result: 'failed', detail: error.message });
        // No such incident in PagerDuty (an MCP or CLI run, or a deleted incident): the other steps would fail the same way.
        if (error.status === 404 && step.type !== 'change') {
          for (const rest of job.steps.slice(job.steps.indexOf(step) + 1)) reports.push({ ref: rest.ref, type: rest.type, result: 'skipped', detail: 'the incident is not in PagerDuty' });
          break;
        }
        continue;
      }
      if (options.signal?.aborted) throw error;
      throw new WritebackRetryableError(`${step.type} ${step.ref}: ${(error as Error)?.message ?? String(error)}`, reports, { cause: error });
    }
  }
  return reports;

  async function runStep(step: WritebackStep): Promise<{ result: StepResult; detail?: string }> {
    switch (step.type) {
      case 'note':
        return { result: await postNote(step.ref, step.content) };
      case 'acknowledge': {
        // Only a triggered incident is acknowledged: never undo a resolve, never re-acknowledge a human's acknowledgement.
        const status = await ports.writer.getIncidentStatus(job.incidentId, options.signal);
        if (status !== 'triggered') return { result: 'skipped', detail: `incident is ${status}` };
        await ports.writer.updateStatus(job.incidentId, 'acknowledged', options.signal);
        return { result: 'delivered' };
      }
      case 'resolve': {
        if (!ports.recheck) return { result: 'skipped', detail: 'no cluster re-check available' };
        const recheck = await ports.recheck(step.target, options.signal).catch((error: unknown) => ({ clean: false, detail: `re-check failed: ${(error as Error)?.message ?? String(error)}` }));
        if (!recheck.clean) {
          await postNote(`${step.ref}-held`, composeNote(renderHeldResolutionNote(recheck.detail).lines, `${step.ref}-held`));
          return { result: 'skipped', detail: `not resolved: ${recheck.detail}` };
        }
        const status = await ports.writer.getIncidentStatus(job.incidentId, options.signal);
        if (status === 'resolved') return { result: 'skipped', detail: 'incident already resolved' };
        await postNote(`${step.ref}-note`, composeNote(renderResolutionNote(recheck.detail, step.toVerifiedFixMs).lines, `${step.ref}-note`));
        await ports.writer.updateStatus(job.incidentId, 'resolved', options.signal);
        return { result: 'delivered', detail: recheck.detail };
      }
      case 'change':
        if (!ports.events) return { result: 'skipped', detail: 'PAGERDUTY_ROUTING_KEY is not set' };
        await ports.events.change({ summary: step.summary, timestamp: step.timestamp, source: 'oncall-agent', customDetails: step.customDetails }, options.signal);
        return { result: 'delivered' };
    }
  }
}
