import type { Command } from 'commander';
import { registerRiskCommand } from './risk-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerSimCommand } from './sim-command.js';
import { registerPauseCommand } from './pause-command.js';
import { registerResumeCommand } from './resume-command.js';
import { registerStatusCommand } from './status-command.js';
import { registerAuditCommand } from './audit-command.js';
import { registerApprovalsCommand } from './approvals-command.js';
import { registerApproveCommand } from './approve-command.js';
import { registerDenyCommand } from './deny-command.js';
import { registerPlanCommand } from './plan-command.js';
import { registerMcpCommand } from './mcp-command.js';

/** Each subcommand registers itself; add one line per command. */
export const commandRegistrations: Array<(program: Command) => void> = [
  registerServeCommand,
  registerSimCommand,
  registerRiskCommand,
  registerPauseCommand,
  registerResumeCommand,
  registerStatusCommand,
  registerAuditCommand,
  registerApprovalsCommand,
  registerApproveCommand,
  registerDenyCommand,
  registerPlanCommand,
  registerMcpCommand,
];
