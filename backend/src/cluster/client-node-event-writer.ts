// ClusterEventWriter over @kubernetes/client-node: one core/v1 Event per audit step on the object acted on, so
// `kubectl describe deployment web` shows what the agent did next to the controller's own events.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { CoreV1Api, type CoreV1Event } from '@kubernetes/client-node';
import type { ObjectRef } from '../domain/audit.js';
import { TransientError } from '../domain/errors.js';
import type { ClusterEventWriter } from '../domain/ports.js';

export const AGENT_COMPONENT = 'oncall-agent';

/** Builds the writer on a KubeConfig the caller already loaded (the same one the reader uses). */
export function createEventWriterFromKubeConfig(kc: KubeConfig, now: () => Date = () => new Date()): ClusterEventWriter {
  return new ClientNodeEventWriter(kc.makeApiClient(CoreV1Api), now);
}

export class ClientNodeEventWriter implements ClusterEventWriter {
  private readonly instance = `${AGENT_COMPONENT}-${hostname()}`.slice(0, 128);

  constructor(
    private readonly api: CoreV1Api,
    private readonly now: () => Date,
  ) {}

  async recordEvent(target: ObjectRef, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): Promise<void> {
    // Cluster-scoped objects (nodes) get their events in "default", as kubelet and kubectl do.
    const namespace = target.namespace ?? 'default';
    const at = this.now();
    const body: CoreV1Event = {
      metadata: { name: `${target.name}.${randomBytes(8).toString('hex')}`.slice(0, 253), namespace },
      involvedObject: {
        kind: target.kind,
        name: target.name,
        ...(target.namespace ? { namespace: target.namespace } : {}),
        ...(target.apiVersion ? { apiVersion: target.apiVersion } : {}),
        ...(target.uid ? { uid: target.uid } : {}),
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: at,
      lastTimestamp: at,
      source: { component: AGENT_COMPONENT },
      reportingComponent: AGENT_COMPONENT,
      reportingInstance: this.instance,
    };
    try {
      await this.api.createNamespacedEvent({ namespace, body });
    } catch (error) {
      throw new TransientError(`failed to record event on ${target.kind} ${namespace}/${target.name}: ${describe(error)}`, undefined, { cause: error });
    }
  }
}

function describe(error: unknown): string {
  const e = error as { code?: number; message?: string };
  return e.code ? `HTTP ${e.code}` : (e.message ?? String(error)).split('\n')[0];
}
