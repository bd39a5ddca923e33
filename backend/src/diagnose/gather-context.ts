import type { Target } from '../domain/incident.js';
import type { ToolContext, ToolResult } from '../tools/types.js';
import { renderToolResult, runTool } from '../tools/registry.js';

/** Characters of live context in the first request (~6,000 tokens at chars/4), leaving room for prompt and tools. */
export const CONTEXT_BUDGET_CHARS = 24_000;
const SECTION_CAP_CHARS = 7_000;
const MIN_SECTION_CHARS = 400;

export interface ContextSection {
  tool: string;
  input: Record<string, unknown>;
  chars: number;
  truncated: boolean;
}

export interface GatheredContext {
  text: string;
  chars: number;
  sections: ContextSection[];
}

type Call = { tool: string; input: Record<string, unknown> };

function plan(target: Target): Call[] {
  const ns = target.namespace;
  const calls: Call[] = [];
  if (target.kind === 'Node' && target.name) {
    // A node is not namespaced: its capacity and conditions, and its events (recorded in "default").
    return [
      { tool: 'check_node_capacity', input: { node: target.name } },
      { tool: 'get_events', input: { namespace: 'default', kind: 'Node', name: target.name } },
    ];
  }
  if (target.kind === 'Deployment' && target.name) {
    calls.push({ tool: 'get_deployment', input: { namespace: ns, name: target.name } });
    calls.push({ tool: 'get_deployment_history', input: { namespace: ns, name: target.name } });
  }
  if (target.kind === 'Service' && target.name) calls.push({ tool: 'get_service_endpoints', input: { namespace: ns, service: target.name } });
  if (target.kind === 'Pod' && target.name) calls.push({ tool: 'get_pod_status', input: { namespace: ns, pod: target.name } });
  if (target.selector) calls.push({ tool: 'list_pods', input: { namespace: ns, labelSelector: target.selector, unhealthyOnly: true } });
  if (target.name && target.kind) calls.push({ tool: 'get_events', input: { namespace: ns, kind: target.kind, name: target.name } });
  if (!target.kind) calls.push({ tool: 'get_events', input: { namespace: ns, warningsOnly: true } });
  return calls;
}

/**
 * The initial live context for the target: the tools the model would call first, run in parallel, rendered exactly as
 * tool results, each capped, all within CONTEXT_BUDGET_CHARS. Then the first unhealthy pod's status, events and logs.
 */
export async function gatherContext(target: Target, ctx: ToolContext, budget = CONTEXT_BUDGET_CHARS): Promise<GatheredContext> {
  const calls = plan(target);
  const pending = calls.map((c) => runTool(c.tool, c.input, ctx));
  // Follow-ups need only the pod list: start them as soon as it arrives, alongside the rest.
  const podListIndex = calls.findIndex((c) => c.tool === 'list_pods');
  const followUpsPromise = podListIndex >= 0 ? pending[podListIndex].then((list) => followUpCalls(target, list, ctx)) : Promise.resolve([]);
  const [results, followUps] = await Promise.all([Promise.all(pending), followUpsPromise]);
  const all: Array<[Call, ToolResult]> = [...calls.map((c, i): [Call, ToolResult] => [c, results[i]]), ...followUps];

  const sections: ContextSection[] = [];
  const parts: string[] = [];
  let used = 0;
  for (const [call, result] of all) {
    const remaining = budget - used;
    if (remaining < MIN_SECTION_CHARS) {
      sections.push({ tool: call.tool, input: call.input, chars: 0, truncated: true });
      continue;
    }
    const header = `### ${call.tool} ${JSON.stringify(call.input)}\n`;
    const body = renderToolResult(result, Math.min(SECTION_CAP_CHARS, remaining - header.length));
    const text = header + body;
    parts.push(text);
    used += text.length;
    sections.push({ tool: call.tool, input: call.input, chars: text.length, truncated: body.includes('more characters cut]') });
  }
  const text = parts.join('\n\n');
  return { text, chars: text.length, sections };
}

/** Status, events and (previous) logs of the first unhealthy pod: usually where the cause is written. */
async function followUpCalls(target: Target, podList: ToolResult | undefined, ctx: ToolContext): Promise<Array<[Call, ToolResult]>> {
  if (!podList || podList.status !== 'success') return [];
  const pods = (podList.data as { pods?: Array<{ name: string; restarts: number; phase?: string }> }).pods ?? [];
  const first = pods[0];
  if (!first) return [];
  const ns = target.namespace;
  const calls: Call[] = [
    { tool: 'get_pod_status', input: { namespace: ns, pod: first.name } },
    { tool: 'get_events', input: { namespace: ns, kind: 'Pod', name: first.name } },
  ];
  if (first.phase !== 'Pending') calls.push({ tool: 'get_pod_logs', input: { namespace: ns, pod: first.name, previous: first.restarts > 0, tail: 40 } });
  const results = await Promise.all(calls.map((c) => runTool(c.tool, c.input, ctx)));
  return calls.map((c, i) => [c, results[i]]);
}
