import type { Config } from '../config/index.js';
import type { ClusterReader } from '../domain/ports.js';
import { argvFor, assessBlastRadius, assessCommand, compileDenyList, gatherBlastRadiusFacts, withBlastRadius, type KubectlAssessment } from '../risk/index.js';
import type { RiskPort } from './execute-deps.js';

/**
 * The risk module bound to the configured policy (PROTECTED_NAMESPACES, DENY_COMMANDS). With a reader, writes
 * also get the blast-radius step (pods touched, no ready replica left, PDB violations) from live cluster facts.
 */
export function createRiskPort(config: Pick<Config, 'PROTECTED_NAMESPACES' | 'DENY_COMMANDS'> & Partial<Pick<Config, 'RISK_MAX_REPLICAS'>>, reader?: ClusterReader): RiskPort {
  // Compiled now so a malformed DENY_COMMANDS stops start-up with the entry named, not the first incident.
  compileDenyList(config.DENY_COMMANDS);
  const policy = { protectedNamespaces: config.PROTECTED_NAMESPACES, denyList: config.DENY_COMMANDS, maxReplicas: config.RISK_MAX_REPLICAS };
  return {
    assess: (commandLine) => assessCommand(commandLine, policy),
    argv: (assessment) => argvFor(assessment),
    ...(reader
      ? {
          blastRadius: async (assessment) => {
            const parsed = (assessment as KubectlAssessment).parsed;
            if (!parsed) return assessment;
            const facts = await gatherBlastRadiusFacts(parsed, reader);
            return withBlastRadius(assessment, assessBlastRadius(parsed, facts));
          },
        }
      : {}),
  };
}
