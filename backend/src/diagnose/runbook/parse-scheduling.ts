// kube-scheduler's FailedScheduling text, e.g.
//   0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: ...
// parsed into its per-predicate counts. The same text is on the pod's PodScheduled condition.
import type { KubeObject } from '../../domain/kube.js';
import { eventsWith, isUnschedulable } from './pod-facts.js';

export interface SchedulingFailure {
  pod: KubeObject;
  message: string;
  total?: number;
  parts: Array<{ count?: number; text: string }>;
}

export function parseSchedulingMessage(message: string): { total?: number; parts: Array<{ count?: number; text: string }> } {
  const head = /(\d+)\/(\d+) nodes are available:\s*(.*)$/s.exec(message);
  if (!head) return { parts: message.split(/\.\s+/).filter(Boolean).map((text) => ({ text: text.trim() })) };
  const body = head[3].split(/\.?\s*preemption:/)[0].replace(/\.\s*$/, '');
  const parts = splitOutsideBraces(body).map((p) => {
    const m = /^(\d+)\s+(.*)$/.exec(p.trim());
    return m ? { count: Number(m[1]), text: m[2] } : { text: p.trim() };
  });
  return { total: Number(head[2]), parts };
}

function splitOutsideBraces(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0 && text[i + 1] === ' ') {
      out.push(cur);
      cur = '';
      i++;
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

/** The first pending pod's scheduling failure: its newest FailedScheduling event, else its PodScheduled condition. */
export function schedulingFailure(pods: KubeObject[], events: KubeObject[] | undefined): SchedulingFailure | undefined {
  const pending = pods.filter(isUnschedulable);
  if (pending.length === 0) return undefined;
  const names = new Set(pending.map((p) => p.metadata.name));
  const event = eventsWith(events, ['FailedScheduling'], names)[0];
  const pod = (event && pending.find((p) => p.metadata.name === (event.involvedObject as { name?: string }).name)) ?? pending[0];
  const condition = ((pod.status?.conditions as Array<{ type: string; message?: string }>) ?? []).find((c) => c.type === 'PodScheduled');
  const message = String(event?.message ?? condition?.message ?? '');
  if (!message) return { pod, message: '', parts: [] };
  return { pod, message, ...parseSchedulingMessage(message) };
}

export function partMatching(f: SchedulingFailure, re: RegExp): { count?: number; text: string } | undefined {
  return f.parts.find((p) => re.test(p.text));
}

export const schedulerEvidence = (f: SchedulingFailure) => ({ fact: `pod ${f.pod.metadata.name}: FailedScheduling: ${f.message.slice(0, 300)}`, source: 'get_events' });
