import type { Command } from 'commander';

export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('Serve the agent as an MCP server over stdio (for Claude Desktop, Claude Code, Cursor and other MCP clients).')
    .addHelpText(
      'after',
      `
stdout carries only the MCP protocol; logs go to stderr. Tools: the read-only cluster tools, remediate,
get_remediation, approve_remediation (off unless MCP_ALLOW_APPROVE=true) and the bounded action tools. Every call runs
under EXECUTION_MODE, MODE_OVERRIDES and MCP_EXECUTION_MODE (which only narrows), and is audited.

Example (Claude Code):
  claude mcp add oncall-agent -e KUBECONFIG=$HOME/.kube/config -- npx oncall-agent mcp`,
    )
    .action(async () => {
      const { serveMcpStdio } = await import('../mcp/serve-stdio.js');
      await serveMcpStdio();
    });
}
