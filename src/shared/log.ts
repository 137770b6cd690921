import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs, one JSON line per event on stdout. The launcher prefixes and formats them;
 * run a service alone and pipe through any pino formatter.
 */
export function createLogger(service: string, level = process.env.NEKO_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
