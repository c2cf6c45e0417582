import pino, { type Logger } from 'pino';

/**
 * Creates the root logger. JSON for machines by default; `pretty` for a person at a terminal.
 * Logs go to stderr so that a CLI's stdout carries only its answer.
 */
export function createLogger(options: { level: string; pretty?: boolean }): Logger {
  const { level, pretty = false } = options;
  if (pretty) {
    return pino({
      level,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: process.stderr.isTTY, ignore: 'pid,hostname' } },
    });
  }
  return pino({ level }, pino.destination(2));
}
