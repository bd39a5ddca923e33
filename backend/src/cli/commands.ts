import type { Command } from 'commander';
import { registerRiskCommand } from './risk-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerSimCommand } from './sim-command.js';

/** Each subcommand registers itself; add one line per command. */
export const commandRegistrations: Array<(program: Command) => void> = [registerServeCommand, registerSimCommand, registerRiskCommand];
