import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { createScrubber, REDACTED } from '../core/redact.js';

/** Field names that never carry anything but a secret, wherever they appear. */
const REDACT_PATHS = [
  'token',
  'botToken',
  'secret',
  'secretToken',
  'webhookSecret',
  '*.token',
  '*.botToken',
  '*.secret',
  '*.secretToken',
  '*.webhookSecret',
  'headers["x-telegram-bot-api-secret-token"]',
  '*.headers["x-telegram-bot-api-secret-token"]',
];

/** A place a log line can be written to. */
export interface LogSink {
  write(line: string): unknown;
}

export interface LoggerOptions {
  level: string;
  /** Readable lines for a person at a terminal instead of JSON. @default false */
  pretty?: boolean;
  /** Exact strings (the bot token, the webhook secret) removed from every line, at every level. */
  secrets?: readonly (string | undefined)[];
  /** Where lines go. @default stderr, so that a CLI's stdout carries only its answer */
  destination?: LogSink;
}

/**
 * Creates the root logger: JSON lines in production, readable lines when `pretty`.
 *
 * Every serialised line passes through a scrubber before it is written, so a token cannot leak
 * through a message, an error's message or stack, a request URL (`/bot<token>/`), a child's
 * bindings or any nested field, whatever the level. `redact` additionally drops fields that
 * are secrets by name.
 */
export function createLogger(options: LoggerOptions): Logger {
  const { level, pretty = false, secrets = [] } = options;
  const scrub = createScrubber(secrets);
  const target: LogSink = options.destination ?? pino.destination({ dest: 2, sync: true });
  // Prettifying in-process (not in a transport thread) keeps every line on the scrubbed path.
  const format = pretty
    ? prettyFactory({ colorize: options.destination ? false : process.stderr.isTTY === true, ignore: 'pid,hostname' })
    : (line: string) => line;
  const sink: LogSink = { write: (line: string) => target.write(format(scrub(line))) };
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    sink as pino.DestinationStream,
  );
}
