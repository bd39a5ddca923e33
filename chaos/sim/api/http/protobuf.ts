// Decodes the Kubernetes protobuf request bodies kubectl's typed "create" subcommands send (kubectl create configmap |
// secret | namespace | deployment | service | serviceaccount | quota | pdb | job | cronjob, and `kubectl autoscale`) into plain JSON objects.
// Only the fields those commands set are mapped; unknown field numbers are skipped. Responses are always JSON.

/* eslint-disable @typescript-eslint/no-explicit-any */

import { SimApiError, badRequest } from '../../store/errors.js';

type Kind =
  | 'string'
  | 'int'
  | 'bool'
  | 'bytes'
  | 'intOrString'
  | 'quantity'
  | 'skip'
  | { msg: Schema }
  | { repeated: Kind }
  | { map: Kind };
type Schema = Record<number, [string, Kind]>;

const labelSelectorRequirement: Schema = { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', { repeated: 'string' }] };
const labelSelector: Schema = { 1: ['matchLabels', { map: 'string' }], 2: ['matchExpressions', { repeated: { msg: labelSelectorRequirement } }] };
const ownerReference: Schema = {
  1: ['kind', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'], 5: ['apiVersion', 'string'], 6: ['controller', 'bool'], 7: ['blockOwnerDeletion', 'bool'],
};
const objectMeta: Schema = {
  1: ['name', 'string'], 2: ['generateName', 'string'], 3: ['namespace', 'string'], 5: ['uid', 'string'], 6: ['resourceVersion', 'string'],
  11: ['labels', { map: 'string' }], 12: ['annotations', { map: 'string' }], 13: ['ownerReferences', { repeated: { msg: ownerReference } }],
  14: ['finalizers', { repeated: 'string' }],
};
const containerPort: Schema = { 1: ['name', 'string'], 2: ['hostPort', 'int'], 3: ['containerPort', 'int'], 4: ['protocol', 'string'], 5: ['hostIP', 'string'] };
const envVar: Schema = { 1: ['name', 'string'], 2: ['value', 'string'] };
const resources: Schema = { 1: ['limits', { map: 'quantity' }], 2: ['requests', { map: 'quantity' }] };
const container: Schema = {
  1: ['name', 'string'], 2: ['image', 'string'], 3: ['command', { repeated: 'string' }], 4: ['args', { repeated: 'string' }], 5: ['workingDir', 'string'],
  6: ['ports', { repeated: { msg: containerPort } }], 7: ['env', { repeated: { msg: envVar } }], 8: ['resources', { msg: resources }],
  13: ['terminationMessagePath', 'string'], 14: ['imagePullPolicy', 'string'], 16: ['stdin', 'bool'], 18: ['tty', 'bool'],
  20: ['terminationMessagePolicy', 'string'],
};
const podSpec: Schema = {
  2: ['containers', { repeated: { msg: container } }], 3: ['restartPolicy', 'string'], 4: ['terminationGracePeriodSeconds', 'int'],
  6: ['dnsPolicy', 'string'], 7: ['nodeSelector', { map: 'string' }], 8: ['serviceAccountName', 'string'], 10: ['nodeName', 'string'],
  14: ['securityContext', { msg: {} }], 19: ['schedulerName', 'string'], 20: ['initContainers', { repeated: { msg: container } }],
};
const podTemplateSpec: Schema = { 1: ['metadata', { msg: objectMeta }], 2: ['spec', { msg: podSpec }] };
const rollingUpdateDeployment: Schema = { 1: ['maxUnavailable', 'intOrString'], 2: ['maxSurge', 'intOrString'] };
const deploymentSpec: Schema = {
  1: ['replicas', 'int'], 2: ['selector', { msg: labelSelector }], 3: ['template', { msg: podTemplateSpec }],
  4: ['strategy', { msg: { 1: ['type', 'string'], 2: ['rollingUpdate', { msg: rollingUpdateDeployment }] } }],
  5: ['minReadySeconds', 'int'], 6: ['revisionHistoryLimit', 'int'], 7: ['paused', 'bool'], 9: ['progressDeadlineSeconds', 'int'],
};
const servicePort: Schema = { 1: ['name', 'string'], 2: ['protocol', 'string'], 3: ['port', 'int'], 4: ['targetPort', 'intOrString'], 5: ['nodePort', 'int'] };
const serviceSpec: Schema = {
  1: ['ports', { repeated: { msg: servicePort } }], 2: ['selector', { map: 'string' }], 3: ['clusterIP', 'string'], 4: ['type', 'string'],
  5: ['externalIPs', { repeated: 'string' }], 10: ['externalName', 'string'], 18: ['clusterIPs', { repeated: 'string' }],
};

const jobSpec: Schema = {
  1: ['parallelism', 'int'], 2: ['completions', 'int'], 3: ['activeDeadlineSeconds', 'int'], 4: ['selector', { msg: labelSelector }],
  5: ['manualSelector', 'bool'], 6: ['template', { msg: podTemplateSpec }], 7: ['backoffLimit', 'int'], 8: ['ttlSecondsAfterFinished', 'int'],
  9: ['completionMode', 'string'], 10: ['suspend', 'bool'],
};
const cronJobSpec: Schema = {
  1: ['schedule', 'string'], 2: ['startingDeadlineSeconds', 'int'], 3: ['concurrencyPolicy', 'string'], 4: ['suspend', 'bool'],
  5: ['jobTemplate', { msg: { 1: ['metadata', { msg: objectMeta }], 2: ['spec', { msg: jobSpec }] } }],
  6: ['successfulJobsHistoryLimit', 'int'], 7: ['failedJobsHistoryLimit', 'int'], 8: ['timeZone', 'string'],
};

/** Top-level schemas by kind (field 1 is always metadata). */
const KINDS: Record<string, Schema> = {
  ConfigMap: { 1: ['metadata', { msg: objectMeta }], 2: ['data', { map: 'string' }], 3: ['binaryData', { map: 'bytes' }], 4: ['immutable', 'bool'] },
  Secret: {
    1: ['metadata', { msg: objectMeta }], 2: ['data', { map: 'bytes' }], 3: ['type', 'string'], 4: ['stringData', { map: 'string' }], 5: ['immutable', 'bool'],
  },
  Namespace: { 1: ['metadata', { msg: objectMeta }], 2: ['spec', { msg: { 1: ['finalizers', { repeated: 'string' }] } }] },
  ServiceAccount: { 1: ['metadata', { msg: objectMeta }] },
  Deployment: { 1: ['metadata', { msg: objectMeta }], 2: ['spec', { msg: deploymentSpec }] },
  Service: { 1: ['metadata', { msg: objectMeta }], 2: ['spec', { msg: serviceSpec }] },
  ResourceQuota: {
    1: ['metadata', { msg: objectMeta }],
    2: ['spec', { msg: { 1: ['hard', { map: 'quantity' }], 2: ['scopes', { repeated: 'string' }] } }],
  },
  PodDisruptionBudget: {
    1: ['metadata', { msg: objectMeta }],
    2: ['spec', { msg: { 1: ['minAvailable', 'intOrString'], 2: ['selector', { msg: labelSelector }], 3: ['maxUnavailable', 'intOrString'] } }],
  },
  Pod: { 1: ['metadata', { msg: objectMeta }], 2: ['spec', { msg: podSpec }] },
  Job: { 1: ['metadata', { msg: objectMeta }], 2: ['spec', { msg: jobSpec }] },
  CronJob: { 1: ['metadata', { msg: objectMeta }], 2: ['spec', { msg: cronJobSpec }] },
  // autoscaling/v1, as `kubectl autoscale` sends it.
  HorizontalPodAutoscaler: {
    1: ['metadata', { msg: objectMeta }],
    2: [
      'spec',
      {
        msg: {
          1: ['scaleTargetRef', { msg: { 1: ['kind', 'string'], 2: ['name', 'string'], 3: ['apiVersion', 'string'] } }],
          2: ['minReplicas', 'int'], 3: ['maxReplicas', 'int'], 4: ['targetCPUUtilizationPercentage', 'int'],
        },
      },
    ],
  },
  SelfSubjectAccessReview: {
    1: ['metadata', { msg: objectMeta }],
    2: [
      'spec',
      {
        msg: {
          1: [
            'resourceAttributes',
            {
              msg: {
                1: ['namespace', 'string'], 2: ['verb', 'string'], 3: ['group', 'string'], 4: ['version', 'string'], 5: ['resource', 'string'],
                6: ['subresource', 'string'], 7: ['name', 'string'],
              },
            },
          ],
          2: ['nonResourceAttributes', { msg: { 1: ['path', 'string'], 2: ['verb', 'string'] } }],
        },
      },
    ],
  },
};

/** Pointer fields where 0 is a real value (proto only carries them when set). */
const POINTER_INTS = new Set([
  'replicas', 'terminationGracePeriodSeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds', 'minReadySeconds',
  'parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'startingDeadlineSeconds',
  'successfulJobsHistoryLimit', 'failedJobsHistoryLimit',
]);

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const length = Number(this.varint());
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.bytes();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function decodeScalar(kind: Kind, reader: Reader, wire: number): any {
  if (kind === 'string') return reader.bytes().toString('utf8');
  if (kind === 'bytes') return reader.bytes().toString('base64');
  if (kind === 'int') return Number(BigInt.asIntN(64, reader.varint()));
  if (kind === 'bool') return reader.varint() !== 0n;
  if (kind === 'quantity') return decode(reader.bytes(), { 1: ['string', 'string'] }).string ?? '0';
  if (kind === 'intOrString') {
    const v = decode(reader.bytes(), { 1: ['type', 'int'], 2: ['intVal', 'int'], 3: ['strVal', 'string'] });
    return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
  }
  if (typeof kind === 'object' && 'msg' in kind) return decode(reader.bytes(), kind.msg);
  reader.skip(wire);
  return undefined;
}

function decode(buf: Buffer, schema: Schema): Record<string, any> {
  const reader = new Reader(buf);
  const out: Record<string, any> = {};
  while (!reader.done) {
    const tag = Number(reader.varint());
    const field = tag >> 3;
    const wire = tag & 7;
    const spec = schema[field];
    if (!spec) {
      reader.skip(wire);
      continue;
    }
    const [name, kind] = spec;
    if (typeof kind === 'object' && 'repeated' in kind) {
      (out[name] ??= []).push(decodeScalar(kind.repeated, reader, wire));
    } else if (typeof kind === 'object' && 'map' in kind) {
      const entry = decode(reader.bytes(), { 1: ['key', 'string'], 2: ['value', kind.map] });
      (out[name] ??= {})[entry.key ?? ''] = entry.value ?? (kind.map === 'string' || kind.map === 'bytes' ? '' : undefined);
    } else {
      const value = decodeScalar(kind, reader, wire);
      // Go writes every non-pointer field; its JSON omits the empty ones, so do the same.
      if (value === '' || value === false || (value === 0 && !POINTER_INTS.has(name))) continue;
      out[name] = value;
    }
  }
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a `application/vnd.kubernetes.protobuf` body; 415 for kinds kube-sim cannot read. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  try {
    return decodeEnvelope(body);
  } catch (error) {
    if (error instanceof SimApiError) throw error;
    throw badRequest(`the protobuf body could not be decoded: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function decodeEnvelope(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest('the body is not a Kubernetes protobuf envelope');
  const unknown = decode(body.subarray(4), {
    1: ['typeMeta', { msg: { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] } }],
    2: ['raw', 'skip'],
  });
  const kind: string = unknown.typeMeta?.kind ?? '';
  // Only autoscaling/v1's HPA shape is mapped; a v2 body would decode wrongly.
  const schema = kind === 'HorizontalPodAutoscaler' && unknown.typeMeta?.apiVersion !== 'autoscaling/v1' ? undefined : KINDS[kind];
  if (!schema) throw badRequest(`kube-sim cannot decode protobuf for kind "${kind}"; send JSON`);
  // Find the raw field (2) bytes again: decode() skipped it.
  const reader = new Reader(body.subarray(4));
  let raw: Buffer | undefined;
  while (!reader.done) {
    const tag = Number(reader.varint());
    if (tag >> 3 === 2 && (tag & 7) === 2) raw = reader.bytes();
    else reader.skip(tag & 7);
  }
  const object = decode(raw ?? Buffer.alloc(0), schema);
  return { apiVersion: unknown.typeMeta?.apiVersion, kind, ...object };
}
