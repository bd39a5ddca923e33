import type { Config } from '../config/index.js';
import { argvFor, assessCommand } from '../risk/score.js';
import type { RiskPort } from './execute-deps.js';

/** The risk module bound to the configured policy (PROTECTED_NAMESPACES, DENY_COMMANDS). */
export function createRiskPort(config: Pick<Config, 'PROTECTED_NAMESPACES' | 'DENY_COMMANDS'>): RiskPort {
  const policy = { protectedNamespaces: config.PROTECTED_NAMESPACES, denyList: config.DENY_COMMANDS };
  return {
    assess: (commandLine) => assessCommand(commandLine, policy),
    argv: (assessment) => argvFor(assessment),
  };
}
