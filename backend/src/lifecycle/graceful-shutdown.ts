import type { Logger } from '../observability/logger.js';

/** One thing to stop, in order; a failing step is logged and the rest still run. */
export interface ShutdownStep {
  name: string;
  run(): Promise<void>;
}

export interface GracefulShutdownOptions {
  logger: Logger;
  /** SHUTDOWN_GRACE_MS: how long active jobs may take to finish. */
  graceMs: number;
  /** Run in order: stop HTTP, close workers (with grace), close queue, close Redis. */
  steps: ShutdownStep[];
  exit?: (code: number) => void;
  /** Extra time after the grace period before giving up and exiting 1 (handlers ignoring their abort signal). */
  hardDeadlineMarginMs?: number;
}

/**
 * On SIGTERM or SIGINT, runs the steps once and exits 0. A second signal, or the steps overrunning the grace period
 * plus a margin, exits 1 at once: the supervisor asked twice, and unfinished jobs are recovered by stalled-job checks.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): { shutdown(signal: string): Promise<void> } {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let started: Promise<void> | undefined;

  const shutdown = (signal: string): Promise<void> => {
    if (started) {
      options.logger.warn({ signal }, 'second shutdown signal: exiting now');
      exit(1);
      return started;
    }
    options.logger.info({ signal, graceMs: options.graceMs }, 'shutting down: no new deliveries, letting active jobs finish');
    const hardDeadline = setTimeout(() => {
      options.logger.error({ graceMs: options.graceMs }, 'shutdown did not finish in time: exiting 1');
      exit(1);
    }, options.graceMs + (options.hardDeadlineMarginMs ?? 15_000));
    hardDeadline.unref();
    started = (async () => {
      for (const step of options.steps) {
        try {
          await step.run();
        } catch (error) {
          options.logger.warn({ step: step.name, err: error }, 'shutdown step failed; continuing');
        }
      }
      clearTimeout(hardDeadline);
      options.logger.info('shutdown complete');
      exit(0);
    })();
    return started;
  };

  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return { shutdown };
}
