export { tokenizeCommandLine } from './tokenize.js';
export { parseKubectlArgs, type ParsedKubectl, type Target } from './parse.js';
export { assessCommand, argvFor, DEFAULT_PROTECTED_NAMESPACES, type RiskPolicy, type KubectlAssessment } from './score.js';
export { protectedNamespacesTouched } from './rules.js';
export { compileDenyList, matchDenyList, type DenyRule } from './deny-list.js';
export { resolveResource, RESOURCE_TYPES } from '../kube/resource-types.js';
export { assessBlastRadius, withBlastRadius, type BlastRadius, type BlastRadiusFacts } from './blast-radius.js';
export { gatherBlastRadiusFacts } from './gather-blast-radius.js';
