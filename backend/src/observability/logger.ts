import { pino, destination, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Keys whose values are never logged, wherever they appear in a log record. */
const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers["x-pagerduty-signature"]',
  '*.headers["x-pagerduty-signature"]',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
];

export type LogFormat = 'auto' | 'json' | 'pretty';

// Set on the root logger; pino's child loggers inherit it through their prototype, so every stage can ask.
const PRETTY = Symbol.for('oncall-agent.logger.pretty');

/** pino JSON to stdout; pretty when `format` says so, or (auto) when stdout is a TTY. */
export function createLogger(level: string, options: { pretty?: boolean; format?: LogFormat; destination?: NodeJS.WritableStream } = {}): Logger {
  const format = options.format ?? 'auto';
  const pretty = options.pretty ?? (format === 'auto' ? Boolean(process.stdout.isTTY) : format === 'pretty');
  const base = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'oncall-agent' } };
  if (options.destination) return pino(base, options.destination as DestinationStream);
  if (pretty) {
    const logger = pino({
      ...base,
      // colorize only on a terminal: LOG_FORMAT=pretty into a file or a pipe stays plain text.
      transport: { target: 'pino-pretty', options: { colorize: Boolean(process.stdout.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } },
    });
    Object.defineProperty(logger, PRETTY, { value: true });
    return logger;
  }
  // Synchronous stdout: no exit-time flush hook, which with async writes spins forever on a closed pipe (EPIPE).
  return pino(base, destination({ fd: 1, sync: true }));
}

/** True for a logger (or a child of one) that writes human-readable text rather than JSON lines. */
export function isPrettyLogger(logger: Logger): boolean {
  return (logger as unknown as Record<symbol, unknown>)[PRETTY] === true;
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
