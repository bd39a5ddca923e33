import type { Command } from 'commander';

// Each subcommand registers itself; add one line per command. Loaded lazily: `oncall-agent risk …` imports the risk
// command's module only, so one command's dependencies (client-node, BullMQ, …) never slow another's start.

export interface CommandEntry {
  name: string;
  load(): Promise<(program: Command) => void>;
}

export const commandEntries: CommandEntry[] = [
  { name: 'serve', load: async () => (await import('./serve-command.js')).registerServeCommand },
  { name: 'sim', load: async () => (await import('./sim-command.js')).registerSimCommand },
  { name: 'page', load: async () => (await import('./page-command.js')).registerPageCommand },
  { name: 'plan', load: async () => (await import('./plan-command.js')).registerPlanCommand },
  { name: 'risk', load: async () => (await import('./risk-command.js')).registerRiskCommand },
  { name: 'status', load: async () => (await import('./status-command.js')).registerStatusCommand },
  { name: 'pause', load: async () => (await import('./pause-command.js')).registerPauseCommand },
  { name: 'resume', load: async () => (await import('./resume-command.js')).registerResumeCommand },
  { name: 'audit', load: async () => (await import('./audit-command.js')).registerAuditCommand },
  { name: 'approvals', load: async () => (await import('./approvals-command.js')).registerApprovalsCommand },
  { name: 'approve', load: async () => (await import('./approve-command.js')).registerApproveCommand },
  { name: 'deny', load: async () => (await import('./deny-command.js')).registerDenyCommand },
  { name: 'mcp', load: async () => (await import('./mcp-command.js')).registerMcpCommand },
];

/** The command named on the command line, when it is one of ours (commander's own options come before it). */
export function selectCommand(argv: readonly string[]): CommandEntry | undefined {
  const first = argv.find((arg) => !arg.startsWith('-'));
  return commandEntries.find((entry) => entry.name === first);
}

/** Registers the named command only, or every command (for the overview help, `help <cmd>` and unknown commands). */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const selected = selectCommand(argv);
  const entries = selected ? [selected] : commandEntries;
  for (const register of await Promise.all(entries.map((entry) => entry.load()))) register(program);
}
