import { createHash } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

/** Anything that looks like a Telegram bot token: `<bot id>:<secret>`, also with the colon URL-encoded. */
const TOKEN_SHAPE = /\d{6,}(?::|%3[Aa])[A-Za-z0-9_-]{30,}/g;

/** What a token or secret is replaced with in every log line. */
export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not scrubbed: replacing a short string would mangle whole logs. */
const MIN_SECRET_LENGTH = 8;

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
 * Returns a function that replaces every token-shaped string and every given secret in a text.
 * Secrets are matched as written, as they appear inside a JSON string and URL-encoded.
 */
export function createScrubber(secrets: readonly (string | undefined)[] = []): (text: string) => string {
  const literals = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    literals.add(secret);
    literals.add(JSON.stringify(secret).slice(1, -1));
    // As a request path or query carries it: a server's error text may quote the URL.
    literals.add(encodeURIComponent(secret));
    // A bot token's secret half on its own (the bot id before the colon is public).
    const half = /^\d+:(.+)$/.exec(secret)?.[1];
    if (half && half.length >= MIN_SECRET_LENGTH) literals.add(half);
  }
  // Longest first, so that a secret containing another is removed whole.
  const ordered = [...literals].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.replace(TOKEN_SHAPE, REDACTED);
    for (const literal of ordered) out = out.split(literal).join(REDACTED);
    return out;
  };
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

/**
 * A short, salted, one-way id for a Telegram user: logs can tell users apart without
 * naming them. The same salt gives the same hash across restarts.
 */
export function hashUserId(id: number | string, salt: string): string {
  return createHash('sha256').update(salt).update(':').update(String(id)).digest('hex').slice(0, 12);
}
