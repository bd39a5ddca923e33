import type { ExecutionMode } from '../domain/decision.js';
import type { ClusterReader } from '../domain/ports.js';
import type { RemediationEngine } from './remediation-engine.js';
import type { RemediationSessions } from './remediation-sessions.js';

/** What the MCP tools run on (one set per process, shared by every MCP session). */
export interface McpToolDeps {
  engine: RemediationEngine;
  sessions: RemediationSessions;
  reader: ClusterReader;
  settings: {
    /** MCP_EXECUTION_MODE: the strictest mode any MCP call may use (it only narrows). */
    modeCap: ExecutionMode;
    allowApprove: boolean;
    /** MCP_WAIT_SECONDS, in ms. */
    waitMs: number;
  };
  /** A run's incident id; random by default. */
  newSessionId?: () => string;
}
