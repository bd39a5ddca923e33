// Pure: each bounded action's input schema and the ONE kubectl command line (plus its postconditions) it becomes.
// Names and quantities are validated strictly, so nothing but a DNS name, a number or a quantity reaches argv.
import { z } from 'zod/v4';
import type { Postcondition, ProposedAction } from '../domain/proposal.js';
import { nameSchema, namespaceSchema } from '../tools/schemas.js';

const deploymentName = nameSchema.describe('Deployment name');
const nodeName = nameSchema.describe('Node name');
const containerName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a container name (DNS label)')
  .describe('Container name (default: every container of the Deployment)');
// A positive quantity with an optional suffix; no signs, exponents or spaces (they would read oddly on argv).
const memory = z
  .string()
  .regex(/^[1-9][0-9]{0,6}(Ki|Mi|Gi|Ti|K|M|G|T)?$/, 'must be a memory quantity such as 256Mi or 1Gi')
  .describe('Memory quantity, e.g. 512Mi');
const cpu = z
  .string()
  .regex(/^([1-9][0-9]{0,6}m|[0-9]{1,3}(\.[0-9]{1,3})?)$/, 'must be a CPU quantity such as 250m or 0.5')
  .refine((v) => v !== '0' && !/^0(\.0+)?$/.test(v), 'must be more than zero')
  .describe('CPU quantity, e.g. 250m');

export const scaleInput = z.strictObject({
  namespace: namespaceSchema,
  name: deploymentName,
  replicas: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(1_000, 'must be at most 1000').describe('Desired replica count'),
});
export const deploymentInput = z.strictObject({ namespace: namespaceSchema, name: deploymentName });
export const updateResourcesInput = z
  .strictObject({ namespace: namespaceSchema, name: deploymentName, container: containerName.optional(), memoryLimit: memory.optional(), memoryRequest: memory.optional(), cpuLimit: cpu.optional(), cpuRequest: cpu.optional() })
  .refine((v) => v.memoryLimit || v.memoryRequest || v.cpuLimit || v.cpuRequest, { message: 'give at least one of memoryLimit, memoryRequest, cpuLimit, cpuRequest', path: ['memoryLimit'] });
export const rollbackInput = z.strictObject({
  namespace: namespaceSchema,
  name: deploymentName,
  toRevision: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(1_000_000).optional().describe('Revision to roll back to (default: the previous one)'),
});
export const nodeInput = z.strictObject({ name: nodeName });

type Built = Pick<ProposedAction, 'command' | 'description' | 'expectedEffect' | 'postconditions'>;
const rollout = (namespace: string, deployment: string): Postcondition[] => [{ type: 'rolloutComplete', namespace, deployment }];

export function scaleCommand(i: z.infer<typeof scaleInput>): Built {
  return {
    command: `kubectl scale deployment/${i.name} --replicas=${i.replicas} -n ${i.namespace}`,
    description: `scale deployment ${i.namespace}/${i.name} to ${i.replicas} replica(s) (asked over MCP)`,
    expectedEffect: `${i.replicas} replica(s) ready`,
    postconditions: i.replicas > 0 ? [...rollout(i.namespace, i.name), { type: 'replicasAtLeast', namespace: i.namespace, deployment: i.name, n: i.replicas }] : rollout(i.namespace, i.name),
  };
}

export function restartCommand(i: z.infer<typeof deploymentInput>): Built {
  return {
    command: `kubectl rollout restart deployment/${i.name} -n ${i.namespace}`,
    description: `restart the pods of deployment ${i.namespace}/${i.name} (asked over MCP)`,
    expectedEffect: 'a new rollout completes with every pod replaced',
    postconditions: rollout(i.namespace, i.name),
  };
}

export function updateResourcesCommand(i: z.infer<typeof updateResourcesInput>): Built {
  const limits = [i.cpuLimit && `cpu=${i.cpuLimit}`, i.memoryLimit && `memory=${i.memoryLimit}`].filter(Boolean).join(',');
  const requests = [i.cpuRequest && `cpu=${i.cpuRequest}`, i.memoryRequest && `memory=${i.memoryRequest}`].filter(Boolean).join(',');
  const parts = ['kubectl set resources', `deployment/${i.name}`, ...(i.container ? [`-c ${i.container}`] : []), ...(limits ? [`--limits=${limits}`] : []), ...(requests ? [`--requests=${requests}`] : []), `-n ${i.namespace}`];
  return {
    command: parts.join(' '),
    description: `set resources of deployment ${i.namespace}/${i.name}${i.container ? ` container ${i.container}` : ''} (asked over MCP)`,
    expectedEffect: 'the rollout with the new resources completes',
    postconditions: rollout(i.namespace, i.name),
  };
}

export function rollbackCommand(i: z.infer<typeof rollbackInput>): Built {
  return {
    command: `kubectl rollout undo deployment/${i.name}${i.toRevision ? ` --to-revision=${i.toRevision}` : ''} -n ${i.namespace}`,
    description: `roll deployment ${i.namespace}/${i.name} back to ${i.toRevision ? `revision ${i.toRevision}` : 'the previous revision'} (asked over MCP)`,
    expectedEffect: 'the rollout of the earlier template completes',
    postconditions: rollout(i.namespace, i.name),
  };
}

export function cordonCommand(i: z.infer<typeof nodeInput>, cordon: boolean): Built {
  return {
    command: `kubectl ${cordon ? 'cordon' : 'uncordon'} ${i.name}`,
    description: `${cordon ? 'cordon' : 'uncordon'} node ${i.name} (asked over MCP)`,
    expectedEffect: cordon ? 'no new pods are scheduled on the node' : 'the node takes new pods again',
    postconditions: [{ type: cordon ? 'nodeCordoned' : 'nodeSchedulable', node: i.name }],
  };
}
