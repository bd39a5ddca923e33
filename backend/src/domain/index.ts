export * from './incident.js';
export * from './proposal.js';
export * from './risk.js';
export * from './decision.js';
export * from './audit.js';
export * from './errors.js';
export * from './kube.js';
export * from './ports.js';
