// Service defaulting (ClusterIP allocation, port defaults) and validation.

/* eslint-disable @typescript-eslint/no-explicit-any */

import type { FieldError } from '../../store/errors.js';
import type { SimObject } from '../../store/types.js';
import type { WriteContext } from '../strategy.js';

function allocate(used: Set<string>, make: () => string): string {
  for (let i = 0; i < 10_000; i++) {
    const candidate = make();
    if (!used.has(candidate)) return candidate;
  }
  return make();
}

export function defaultService(object: SimObject, context: WriteContext): void {
  const spec = (object.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  for (const port of spec.ports ?? []) {
    if (!port) continue;
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port;
  }
  const old = context.old?.spec;
  if (old?.clusterIP && spec.clusterIP === undefined) spec.clusterIP = old.clusterIP;
  // dropTypeDependentFields: leaving NodePort/LoadBalancer releases the node ports the user did not change.
  if (old && (spec.type === 'ClusterIP' || spec.type === 'ExternalName') && (old.type === 'NodePort' || old.type === 'LoadBalancer')) {
    (spec.ports ?? []).forEach((port: any, i: number) => {
      if (port?.nodePort !== undefined && port.nodePort === old.ports?.[i]?.nodePort) delete port.nodePort;
    });
  }
  if (spec.clusterIP === undefined) {
    const used = new Set(context.reader.peekList('services').map((s) => s.spec?.clusterIP));
    spec.clusterIP = allocate(used, () => `10.96.${Math.floor(Math.random() * 254)}.${1 + Math.floor(Math.random() * 253)}`);
  }
  if (spec.clusterIP !== 'None' || !spec.clusterIPs) spec.clusterIPs ??= [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    spec.externalTrafficPolicy ??= 'Cluster';
    const used = new Set<number>();
    for (const svc of context.reader.peekList('services')) for (const p of svc.spec?.ports ?? []) if (p.nodePort) used.add(p.nodePort);
    (spec.ports ?? []).forEach((port: any, i: number) => {
      const previous = old?.ports?.[i]?.nodePort;
      port.nodePort ??= previous ?? Number(allocate(new Set([...used].map(String)), () => String(30000 + Math.floor(Math.random() * 2768))));
    });
    if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  }
  if (context.operation === 'create') object.status = { loadBalancer: {} };
  else object.status ??= context.old?.status ?? { loadBalancer: {} };
}

export function validateService(object: SimObject, context: WriteContext): FieldError[] {
  const errors: FieldError[] = [];
  const spec = object.spec ?? {};
  const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (!types.includes(spec.type)) {
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'spec.type',
      message: `Unsupported value: ${JSON.stringify(spec.type)}: supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`,
    });
  }
  if (spec.type !== 'ExternalName' && !(spec.ports ?? []).length && spec.clusterIP !== 'None') {
    errors.push({ type: 'FieldValueRequired', field: 'spec.ports', message: 'Required value' });
  }
  (spec.ports ?? []).forEach((port: any, i: number) => {
    if (typeof port?.port !== 'number' || port.port < 1 || port.port > 65535) {
      errors.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].port`, message: `Invalid value: ${port?.port}: must be between 1 and 65535, inclusive` });
    }
  });
  // The nodePort allocator's answers (30000-32767, one Service per port) and validation's ClusterIP rule.
  const taken = new Set<number>();
  for (const svc of context.reader.peekList('services')) {
    if (svc.metadata.uid === object.metadata.uid || (svc.metadata.namespace === object.metadata.namespace && svc.metadata.name === object.metadata.name)) continue;
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) taken.add(p.nodePort);
  }
  const oldNodePorts = new Set<number>((context.old?.spec?.ports ?? []).map((p: any) => p?.nodePort).filter(Boolean));
  (spec.ports ?? []).forEach((port: any, i: number) => {
    const nodePort = port?.nodePort;
    if (nodePort === undefined || nodePort === null || nodePort === 0) return;
    const field = `spec.ports[${i}].nodePort`;
    if (spec.type === 'ClusterIP' || spec.type === 'ExternalName') {
      errors.push({ type: 'FieldValueForbidden', field, message: `Forbidden: may not be used when \`type\` is '${spec.type}'` });
    } else if (nodePort < 30000 || nodePort > 32767) {
      errors.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${nodePort}: provided port is not in the valid range. The range of valid ports is 30000-32767` });
    } else if (taken.has(nodePort) && !oldNodePorts.has(nodePort)) {
      errors.push({ type: 'FieldValueInvalid', field, message: `Invalid value: ${nodePort}: provided port is already allocated` });
    }
  });
  const oldIp = context.old?.spec?.clusterIP;
  if (oldIp && spec.clusterIP !== oldIp) {
    errors.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: `Invalid value: []string{${JSON.stringify(spec.clusterIP)}}: may not change once set` });
  }
  return errors;
}
