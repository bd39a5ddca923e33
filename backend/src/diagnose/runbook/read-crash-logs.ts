import type { KubeObject } from '../../domain/kube.js';
import type { ClusterReader } from '../../domain/ports.js';
import { failingContainers } from './pod-facts.js';

const TAIL_LINES = 20;
const MAX_READS = 2;

/**
 * The last log lines of up to two failed containers (the previous instance when it restarted). Raw text: the rules
 * redact and fence it before it reaches a proposal. A log that cannot be read is simply absent.
 */
export async function readCrashLogs(reader: ClusterReader, namespace: string, pods: KubeObject[]): Promise<Record<string, string>> {
  const picks = failingContainers(pods)
    .filter(({ status }) => status.lastState?.terminated || status.state?.terminated)
    .slice(0, MAX_READS);
  const logs: Record<string, string> = {};
  await Promise.all(
    picks.map(async ({ pod, status }) => {
      const name = pod.metadata.name ?? '';
      const previous = (status.restartCount ?? 0) > 0 && !status.state?.terminated;
      const text = await reader.readLog(namespace, name, { container: status.name, previous, tailLines: TAIL_LINES, limitBytes: 16_384 }).catch(() => '');
      if (text) logs[`${name}/${status.name}`] = text;
    }),
  );
  return logs;
}
