// The bounded action tools: each input becomes exactly one kubectl command (action-commands.ts), run as its own
// incident through the execute stage (risk, mode policy, breaker, kill switch, locks, verification, rollback, audit).
import { randomUUID } from 'node:crypto';
import type { z } from 'zod/v4';
import type { Incident } from '../domain/incident.js';
import type { ProposedAction } from '../domain/proposal.js';
import { renderToolResult } from '../tools/registry.js';
import { summariseDeployment } from '../tools/get-deployment.js';
import { evaluateRolloutComplete } from '../verify/evaluate.js';
import {
  cordonCommand,
  deploymentInput,
  nodeInput,
  restartCommand,
  rollbackCommand,
  rollbackInput,
  scaleCommand,
  scaleInput,
  updateResourcesCommand,
  updateResourcesInput,
} from './action-commands.js';
import { defineMcpTool, READ_ONLY_HINTS, type McpTool, type ToolCallContext, type ToolHints } from './mcp-tool.js';
import type { McpToolDeps } from './mcp-tool-deps.js';
import { actionOutputSchema, toActionOutput } from './remediate-output.js';
import { answer } from './remediate-tools.js';

interface ActionSpec<S extends z.ZodType> {
  name: string;
  title: string;
  description: string;
  inputSchema: S;
  hints: Omit<ToolHints, 'readOnlyHint' | 'openWorldHint'>;
  build(input: z.infer<S>): Pick<ProposedAction, 'command' | 'description' | 'expectedEffect' | 'postconditions'>;
}

const SAFETY = ' Runs through risk scoring, the mode policy (in plan mode: a preview only), breaker, kill switch, locks, verification and rollback; every step is audited.';

const ACTIONS = [
  {
    name: 'scale_deployment',
    title: 'Scale deployment',
    description: 'Set a Deployment\'s replica count (kubectl scale).',
    inputSchema: scaleInput,
    hints: { destructiveHint: true, idempotentHint: true },
    build: scaleCommand,
  } satisfies ActionSpec<typeof scaleInput>,
  {
    name: 'restart_deployment',
    title: 'Restart deployment',
    description: 'Replace every pod of a Deployment with a rolling restart (kubectl rollout restart).',
    inputSchema: deploymentInput,
    hints: { destructiveHint: false, idempotentHint: false },
    build: restartCommand,
  } satisfies ActionSpec<typeof deploymentInput>,
  {
    name: 'update_resources',
    title: 'Update resources',
    description: 'Set CPU/memory limits and requests of a Deployment\'s containers (kubectl set resources), which rolls its pods.',
    inputSchema: updateResourcesInput,
    hints: { destructiveHint: false, idempotentHint: true },
    build: updateResourcesCommand,
  } satisfies ActionSpec<typeof updateResourcesInput>,
  {
    name: 'rollback_deployment',
    title: 'Roll back deployment',
    description: 'Roll a Deployment back to the previous (or a given) revision (kubectl rollout undo).',
    inputSchema: rollbackInput,
    hints: { destructiveHint: true, idempotentHint: false },
    build: rollbackCommand,
  } satisfies ActionSpec<typeof rollbackInput>,
  {
    name: 'cordon_node',
    title: 'Cordon node',
    description: 'Mark a node unschedulable; running pods stay (kubectl cordon).',
    inputSchema: nodeInput,
    hints: { destructiveHint: false, idempotentHint: true },
    build: (i: z.infer<typeof nodeInput>) => cordonCommand(i, true),
  } satisfies ActionSpec<typeof nodeInput>,
  {
    name: 'uncordon_node',
    title: 'Uncordon node',
    description: 'Mark a node schedulable again (kubectl uncordon).',
    inputSchema: nodeInput,
    hints: { destructiveHint: false, idempotentHint: true },
    build: (i: z.infer<typeof nodeInput>) => cordonCommand(i, false),
  } satisfies ActionSpec<typeof nodeInput>,
] as const;

export function createActionTools(deps: McpToolDeps): McpTool[] {
  const newId = deps.newSessionId ?? (() => `mcp-${randomUUID()}`);
  const run = async (spec: { name: string }, built: ReturnType<ActionSpec<z.ZodType>['build']>, ctx: ToolCallContext) => {
    const id = newId();
    // The caller named the exact command, so it carries full confidence; risk, the mode, protected namespaces, the
    // destructive switch, breaker and kill switch still decide whether it runs.
    const action: ProposedAction = { ...built, confidence: 1 };
    const incident: Incident = { id, title: `${spec.name} over MCP: ${built.command}`, source: 'mcp', details: { tool: spec.name, requestedBy: ctx.actor } };
    const session = deps.sessions.start(id, 'action', () => deps.engine.act(incident, action, deps.settings.modeCap, new AbortController().signal), built.command);
    await deps.sessions.waitFor(session, deps.settings.waitMs, ctx.progress);
    if (session.error) return { text: `${spec.name} failed without an outcome: ${session.error}`, isError: true };
    return answer(toActionOutput(id, built.command, session.result?.outcome));
  };

  const actions = ACTIONS.map((spec) =>
    defineMcpTool({
      name: spec.name,
      title: spec.title,
      description: spec.description + SAFETY,
      inputSchema: spec.inputSchema,
      outputSchema: actionOutputSchema,
      hints: { readOnlyHint: false, openWorldHint: false, ...spec.hints },
      handler: (input, ctx) => run(spec, (spec.build as (i: unknown) => ReturnType<ActionSpec<z.ZodType>['build']>)(input), ctx),
    }),
  );

  const status = defineMcpTool({
    name: 'deployment_status',
    title: 'Deployment status',
    description: 'A Deployment\'s rollout state (complete or not, and why), replica counts, revision and conditions. Read-only.',
    inputSchema: deploymentInput,
    hints: READ_ONLY_HINTS,
    async handler({ namespace, name }, ctx) {
      const d = await deps.reader.get('Deployment', namespace, name);
      ctx.signal.throwIfAborted();
      if (!d) return { text: renderToolResult({ status: 'no_data', message: `deployment ${name} not found in ${namespace}` }) };
      const rollout = evaluateRolloutComplete(d);
      return { text: renderToolResult({ status: 'success', data: { rolloutComplete: rollout.ok, rollout: rollout.detail, ...summariseDeployment(d) } }) };
    },
  });
  return [...actions, status];
}
