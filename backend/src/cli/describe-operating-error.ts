import { redactText } from '../redaction/redact.js';

// What the CLI prints for an error that is not one of ours (AgentError). An operating error (a refused connection,
// a missing file, a timeout: anything with a system error code) is one line; a stack trace helps only with a bug,
// and even then the operator sees it only at LOG_LEVEL=debug or trace.

export function describeOperatingError(error: unknown, logLevel: string | undefined): string {
  if (!(error instanceof Error)) return redactText(String(error));
  const code = (error as NodeJS.ErrnoException).code;
  const message = redactText(error.message || error.name);
  const line = code && !message.includes(code) ? `${message} (${code})` : message;
  if (code || !error.stack) return line;
  return logLevel === 'debug' || logLevel === 'trace' ? redactText(error.stack) : `${line} (LOG_LEVEL=debug shows the stack trace)`;
}
