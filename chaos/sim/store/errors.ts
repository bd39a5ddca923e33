// Errors that carry a real metav1.Status, shaped exactly like the real API server's answers
// (captured from a real kube-apiserver v1.26; see SEMANTICS.md, "Errors"). The HTTP layer sends `error.status` as the body.

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** Identifies what an error is about: plural resource (`deployments`) and API group (`apps`, '' for core). */
export interface ResourceRef {
  resource: string;
  group: string;
}

/** An API error with the Status object the real server would send. */
export class SimApiError extends Error {
  constructor(public readonly status: StatusObject) {
    super(status.message);
    this.name = 'SimApiError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

function failure(code: number, reason: string | undefined, message: string, details?: StatusDetails): SimApiError {
  const status: StatusObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (reason) status.reason = reason;
  if (details) status.details = details;
  // The real server orders keys: kind, apiVersion, metadata, status, message, reason, details, code.
  const ordered = {
    kind: status.kind,
    apiVersion: status.apiVersion,
    metadata: status.metadata,
    status: status.status,
    message: status.message,
    ...(status.reason ? { reason: status.reason } : {}),
    ...(status.details ? { details: status.details } : {}),
    code: status.code,
  } as StatusObject;
  return new SimApiError(ordered);
}

function qualified(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

function refDetails(ref: ResourceRef, name: string): StatusDetails {
  return ref.group ? { name, group: ref.group, kind: ref.resource } : { name, kind: ref.resource };
}

export function notFound(ref: ResourceRef, name: string): SimApiError {
  return failure(404, 'NotFound', `${qualified(ref)} "${name}" not found`, refDetails(ref, name));
}

/** 404 for a path the server does not know (unknown resource in a known group). */
export function resourceNotFound(): SimApiError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(ref: ResourceRef, name: string): SimApiError {
  return failure(409, 'AlreadyExists', `${qualified(ref)} "${name}" already exists`, refDetails(ref, name));
}

export function conflict(ref: ResourceRef, name: string, why?: string): SimApiError {
  const reasonText = why ?? 'the object has been modified; please apply your changes to the latest version and try again';
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(ref)} "${name}": ${reasonText}`,
    refDetails(ref, name),
  );
}

/** One invalid field, as in field.Error: `type` is the cause reason (FieldValueInvalid, FieldValueRequired, ...). */
export interface FieldError {
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueTooLong';
  field: string;
  /** Detail after the prefix, e.g. `Invalid value: -1: must be greater than or equal to 0`. */
  message: string;
}

/** 422 Invalid, message `Kind.group "name" is invalid: <field>: <message>` (bracketed list when several). */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): SimApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const parts = errors.map((e) => `${e.field}: ${e.message}`);
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const details: StatusDetails = group ? { name, group, kind } : { name, kind };
  details.causes = errors.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
  return failure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, details);
}

/** 422 with no details (json-patch errors as the real server reports them). */
export function invalidRequest(message = 'the server rejected our request due to an error in our request'): SimApiError {
  return failure(422, 'Invalid', message, {});
}

export function badRequest(message: string): SimApiError {
  return failure(400, 'BadRequest', message);
}

export function forbidden(ref: ResourceRef, name: string, message: string): SimApiError {
  const prefix = name ? `${qualified(ref)} "${name}" is forbidden` : `${qualified(ref)} is forbidden`;
  return failure(403, 'Forbidden', `${prefix}: ${message}`, refDetails(ref, name));
}

export function methodNotAllowed(): SimApiError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function unsupportedMediaType(): SimApiError {
  return failure(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
}

/** 406: the Accept header asks for a form this response cannot take (a list as PartialObjectMetadata, …). */
export function notAcceptable(message: string): SimApiError {
  return failure(406, 'NotAcceptable', message);
}

export function tooManyRequests(message: string, causes?: StatusCause[]): SimApiError {
  return failure(429, 'TooManyRequests', message, causes ? { causes } : undefined);
}

export function expired(message: string): SimApiError {
  return failure(410, 'Expired', message);
}

export function internalError(message: string): SimApiError {
  return failure(500, 'InternalError', message, {});
}

/** What the API server answers when it cannot reach a pod's kubelet (logs): a 500 with no reason or details. */
export function kubeletUnreachable(message: string): SimApiError {
  return failure(500, undefined, message);
}

/** A success Status (deletecollection-less deletes, evictions). */
export function successStatus(details?: StatusDetails): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}) };
}
