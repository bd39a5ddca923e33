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

/** pino JSON to stdout; pretty when stdout is a TTY. */
export function createLogger(level: string, options: { pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  const base = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'oncall-agent' } };
  if (options.destination) return pino(base, options.destination as DestinationStream);
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } } });
  }
  // Synchronous stdout: no exit-time flush hook, which with async writes spins forever on a closed pipe (EPIPE).
  return pino(base, destination({ fd: 1, sync: true }));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
