import type { RunbookRule } from '../rule-types.js';
import { selects } from '../pod-facts.js';
import { allContainers } from '../read-workload.js';

/** A Service whose targetPort matches no port the selected containers declare. */
export const serviceTargetPortRule: RunbookRule = {
  id: 'service-target-port',
  class: 'service',
  diagnose(facts) {
    const svc = facts.service;
    const selector = svc?.spec?.selector as Record<string, string> | undefined;
    if (!svc || !selector) return undefined;
    const pods = (facts.namespacePods ?? []).filter((p) => selects(selector, p.metadata.labels));
    if (pods.length === 0) return undefined;
    const containers = allContainers(pods[0].spec);
    const declared = containers.flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, name: p.name })));
    if (declared.length === 0) return undefined;
    const ports = (svc.spec?.ports as Array<{ port: number; targetPort?: number | string; name?: string }>) ?? [];
    const bad = ports.find((p) => {
      const t = p.targetPort ?? p.port;
      return typeof t === 'string' && !/^\d+$/.test(t) ? !declared.some((d) => d.name === t) : !declared.some((d) => d.port === Number(t));
    });
    if (!bad) return undefined;
    const name = svc.metadata.name ?? '';
    const list = declared.map((d) => `${d.port}${d.name ? ` (${d.name})` : ''}`).join(', ');
    const evidence = [
      { fact: `service ${name} port ${bad.port} → targetPort ${bad.targetPort ?? bad.port}`, source: 'get_service_endpoints' },
      { fact: `pods ${pods.slice(0, 2).map((p) => p.metadata.name).join(', ')} declare container ports ${list}`, source: 'get_pod_status' },
    ];
    const rootCause = `Service ${name} sends port ${bad.port} to targetPort ${bad.targetPort ?? bad.port}, which no selected container declares (they declare ${list})`;
    const index = ports.indexOf(bad);
    if (declared.length === 1) {
      const ns = facts.target.namespace;
      return {
        rootCause,
        confidence: 0.75,
        evidence,
        action: {
          command: `kubectl patch service ${name} -n ${ns} --type=json -p '[{"op":"replace","path":"/spec/ports/${index}/targetPort","value":${declared[0].port}}]'`,
          description: `Point service ${name}'s targetPort at ${declared[0].port}, the pods' only declared port (a human confirms)`,
          confidence: 0.75,
          expectedEffect: `traffic to service ${name} reaches the containers`,
          postconditions: [{ type: 'endpointsReady', namespace: ns, service: name }],
        },
      };
    }
    return { rootCause, confidence: 0.8, evidence, humanStep: `set service ${name}'s targetPort to the port the application listens on` };
  },
};
