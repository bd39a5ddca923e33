import { z } from 'zod/v4';

// Input pieces shared by the tools. Strict shapes: model output is untrusted, and a name that is not a DNS name
// never reaches the API server.

export const namespaceSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name')
  .describe('Kubernetes namespace');

export const nameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name');

export const labelSelectorSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_.\-/=!,() ]+$/, 'must be a label selector such as app=web or app in (web,api)')
  .describe('Label selector, e.g. app=web');
