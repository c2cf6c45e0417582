import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { DEFAULT_PROFILE } from '../embedding/profiles.js';
import { isDatabaseUrl } from '../store/postgres/connect.js';

/** Environment as given (process.env or a test's object). */
export type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** @default 10 replies a minute per user */
export const DEFAULT_QUESTIONS_PER_MINUTE = 10;
/** @default 500 characters */
export const DEFAULT_MAX_QUESTION_CHARS = 500;
/** The engine reads at most this much of a question, so a larger limit would only mislead. */
const MAX_QUESTION_CHARS_CEILING = 1000;
/** @default 8080, the webhook port when PORT is not set */
export const DEFAULT_WEBHOOK_PORT = 8080;
/** @default 8000 ms: under the 10 s that `docker stop` waits before it kills */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 8000;
const SECRET_SHAPE = /^[A-Za-z0-9_-]{16,256}$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** What reading one variable gives: its value, or what is wrong with it and how to fix it. */
type Reading<T> = { value: T } | { problem: string; value: T };

/**
 * One environment variable: the part of the program that reads it, and how its text (undefined
 * when unset or blank) becomes a value. A bad value is reported with the fix, never echoed
 * when it may be a secret, and replaced by the default so every other problem is still found.
 */
interface Variable<T> {
  part: Part;
  read(raw: string | undefined): Reading<T>;
}

/** The parts of the program, each reading its own variables. */
export type Part = 'engine' | 'bot' | 'server';

const ok = <T>(value: T): Reading<T> => ({ value });
const bad = <T>(problem: string, value: T): Reading<T> => ({ problem, value });

function wholeNumber(options: { name: string; fallback: number; min: number; max: number; unit: string }): (raw: string | undefined) => Reading<number> {
  const { name, fallback, min, max, unit } = options;
  return (raw) => {
    if (raw === undefined) return ok(fallback);
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    return value >= min && value <= max ? ok(value) : bad(`${name} must be a whole number of ${unit} from ${min} to ${max}, or unset for ${fallback} (got "${raw}")`, fallback);
  };
}

function port(name: string): (raw: string | undefined) => Reading<number | undefined> {
  return (raw) => {
    if (raw === undefined) return ok(undefined);
    const value = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
    return value >= 0 && value <= 65535 ? ok(value) : bad(`${name} must be a TCP port number from 0 to 65535 (got "${raw}")`, undefined);
  };
}

function url(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/**
 * Every variable the program reads, in one place: the README's configuration table lists the
 * same names. `npm run check-config` reads them all.
 */
export const VARIABLES = {
  EMBEDDING_MODEL: {
    part: 'engine',
    read: (raw) =>
      raw === undefined || /^[\w.\-/]+$/.test(raw)
        ? ok(raw ?? DEFAULT_PROFILE)
        : bad(`EMBEDDING_MODEL must be a profile name or a model id such as Xenova/all-MiniLM-L6-v2 (got "${raw}")`, DEFAULT_PROFILE),
  } satisfies Variable<string>,
  MODELS_DIR: { part: 'engine', read: (raw) => ok(raw) } satisfies Variable<string | undefined>,
  MODEL_CACHE_DIR: { part: 'engine', read: (raw) => ok(raw ?? '.models/cache') } satisfies Variable<string>,
  INDEX_DIR: { part: 'engine', read: (raw) => ok(raw ?? 'index') } satisfies Variable<string>,
  CORPUS_DIR: { part: 'engine', read: (raw) => ok(raw ?? 'corpus') } satisfies Variable<string>,
  DATABASE_URL: {
    part: 'engine',
    read: (raw) => {
      if (raw === undefined) return ok(undefined);
      // Never echoed: the address may carry a password.
      return isDatabaseUrl(raw)
        ? ok(raw)
        : bad('DATABASE_URL must be a PostgreSQL connection URL such as postgresql://user:password@host:5432/dbname (or ?host=/socket/folder), or unset to keep the index in INDEX_DIR', undefined);
    },
  } satisfies Variable<string | undefined>,
  LOG_LEVEL: {
    part: 'engine',
    read: (raw) => {
      const level = (raw ?? 'info').toLowerCase();
      return (LOG_LEVELS as readonly string[]).includes(level) ? ok(level as LogLevel) : bad(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`, 'info');
    },
  } satisfies Variable<LogLevel>,
  BOT_TOKEN: {
    part: 'bot',
    read: (raw) =>
      raw === undefined
        ? bad('BOT_TOKEN is required: create a bot with @BotFather and set BOT_TOKEN=<the token it gives you>', '')
        : /^\d+:[\w-]+$/.test(raw)
          ? ok(raw)
          : // The value itself is never echoed: a half-pasted token is still a secret.
            bad('BOT_TOKEN must look like 123456789:AAE… (digits, a colon, then letters, digits, _ or -); copy it again from @BotFather', ''),
  } satisfies Variable<string>,
  TELEGRAM_API_ROOT: {
    part: 'bot',
    read: (raw) => {
      if (raw === undefined) return ok(undefined);
      const parsed = url(raw);
      return parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:')
        ? // grammY refuses a trailing slash; accept it from people and drop it here.
          ok(raw.replace(/\/+$/, ''))
        : bad(`TELEGRAM_API_ROOT must be an http(s) URL such as http://127.0.0.1:8081, or unset for Telegram's own server (got "${raw}")`, undefined);
    },
  } satisfies Variable<string | undefined>,
  ADMIN_IDS: {
    part: 'bot',
    read: (raw) => {
      const parts = (raw ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
      const wrong = parts.filter((p) => !/^-?\d{1,16}$/.test(p));
      const ids = parts.filter((p) => !wrong.includes(p)).map(Number);
      return wrong.length === 0
        ? ok(ids)
        : bad(`ADMIN_IDS must be comma-separated numeric Telegram user ids such as 12345,67890 (bad: ${wrong.map((b) => `"${b}"`).join(', ')})`, ids);
    },
  } satisfies Variable<number[]>,
  RATE_LIMIT: {
    part: 'bot',
    read: wholeNumber({ name: 'RATE_LIMIT', fallback: DEFAULT_QUESTIONS_PER_MINUTE, min: 1, max: 1000, unit: 'questions per minute per user' }),
  } satisfies Variable<number>,
  MAX_QUESTION_CHARS: {
    part: 'bot',
    read: wholeNumber({ name: 'MAX_QUESTION_CHARS', fallback: DEFAULT_MAX_QUESTION_CHARS, min: 1, max: MAX_QUESTION_CHARS_CEILING, unit: 'characters' }),
  } satisfies Variable<number>,
  WEBHOOK_URL: {
    part: 'server',
    read: (raw) => {
      if (raw === undefined) return ok(undefined);
      const parsed = url(raw);
      if (!parsed) return bad(`WEBHOOK_URL must be the public https address Telegram posts updates to, such as https://bot.example.com/telegram (got "${raw}")`, undefined);
      if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname))) {
        return bad(`WEBHOOK_URL must use https (Telegram posts only to https); got "${parsed.protocol}//${parsed.host}"`, parsed);
      }
      if (parsed.pathname === '/healthz') return bad('WEBHOOK_URL must not end in /healthz: that path is the health check; use e.g. /telegram', parsed);
      return ok(parsed);
    },
  } satisfies Variable<URL | undefined>,
  WEBHOOK_SECRET: {
    part: 'server',
    read: (raw) =>
      raw === undefined || SECRET_SHAPE.test(raw)
        ? ok(raw)
        : bad('WEBHOOK_SECRET must be 16 to 256 letters, digits, _ or - (Telegram allows no other characters); e.g. `openssl rand -hex 32`', undefined),
  } satisfies Variable<string | undefined>,
  PORT: { part: 'server', read: port('PORT') } satisfies Variable<number | undefined>,
  HEALTH_PORT: { part: 'server', read: port('HEALTH_PORT') } satisfies Variable<number | undefined>,
  HTTP_HOST: { part: 'server', read: (raw) => ok(raw ?? '0.0.0.0') } satisfies Variable<string>,
  SHUTDOWN_TIMEOUT_MS: {
    part: 'server',
    read: (raw) => {
      if (raw === undefined) return ok(DEFAULT_SHUTDOWN_TIMEOUT_MS);
      const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      return value >= 100 && value <= 600_000
        ? ok(value)
        : bad(`SHUTDOWN_TIMEOUT_MS must be milliseconds from 100 to 600000, or unset for ${DEFAULT_SHUTDOWN_TIMEOUT_MS} (got "${raw}")`, DEFAULT_SHUTDOWN_TIMEOUT_MS);
    },
  } satisfies Variable<number>,
} as const;

type Values = { [K in keyof typeof VARIABLES]: ReturnType<(typeof VARIABLES)[K]['read']>['value'] };

/** What the engine, the index build and the CLI need. */
export interface EngineConfig {
  embeddingModel: string;
  /** When set, models load only from here; the network is never used. */
  modelsDir: string | undefined;
  /** Cache for models downloaded on a connected machine. */
  modelCacheDir: string;
  indexDir: string;
  corpusDir: string;
  /**
   * When set, the index (and the replicas' shared state: rate limits, webhook updates) lives in
   * this PostgreSQL database instead of INDEX_DIR. Never log it: it may hold a password.
   */
  databaseUrl: string | undefined;
  logLevel: LogLevel;
}

/** What the Telegram front end needs besides the engine settings. */
export interface BotConfig {
  /** Never log this. */
  token: string;
  /** A self-hosted Bot API server or a test emulator; undefined means Telegram's own. */
  apiRoot: string | undefined;
  /** Telegram user ids allowed to run admin commands such as /reload. */
  adminIds: readonly number[];
  /** Replies one user may get per minute before being asked to slow down. */
  questionsPerMinute: number;
  /** Longer questions are refused with a clear message. */
  maxQuestionChars: number;
}

/** How the bot receives updates and where it serves HTTP. */
export interface ServerConfig {
  /** `webhook` when WEBHOOK_URL is set, `polling` otherwise. */
  mode: 'polling' | 'webhook';
  /** Set in webhook mode only. */
  webhook: { url: string; path: string; secret: string } | undefined;
  /**
   * Port of the HTTP server: the webhook and /healthz in webhook mode (PORT, default 8080);
   * /healthz alone in polling mode (HEALTH_PORT, else PORT). Undefined: no HTTP server.
   */
  port: number | undefined;
  /** Address the HTTP server binds. @default '0.0.0.0' */
  host: string;
  /** Longest wait at shutdown for answers in flight. @default 8000 */
  shutdownTimeoutMs: number;
}

export interface AppConfig {
  engine: Readonly<EngineConfig>;
  bot: Readonly<BotConfig>;
  server: Readonly<ServerConfig>;
}

/** Problems that involve two variables at once. */
function crossChecks(options: { values: Values; parts: ReadonlySet<Part>; alreadyBad: ReadonlySet<string> }): ConfigProblem[] {
  const { values: v, parts, alreadyBad } = options;
  if (!parts.has('server') || !v.WEBHOOK_URL) return [];
  const problems: ConfigProblem[] = [];
  if (v.WEBHOOK_SECRET === undefined && !alreadyBad.has('WEBHOOK_SECRET')) {
    problems.push({
      variable: 'WEBHOOK_SECRET',
      message: 'WEBHOOK_SECRET is required with WEBHOOK_URL: set it to 16 to 256 letters, digits, _ or - (e.g. the output of `openssl rand -hex 32`)',
    });
  }
  if (v.HEALTH_PORT !== undefined && v.HEALTH_PORT !== (v.PORT ?? DEFAULT_WEBHOOK_PORT)) {
    problems.push({ variable: 'HEALTH_PORT', message: 'HEALTH_PORT is for polling mode; with WEBHOOK_URL, /healthz is served on PORT next to the webhook: unset HEALTH_PORT' });
  }
  return problems;
}

/**
 * Reads the variables of the given parts once, collecting every problem: a ConfigError names
 * each bad variable and how to fix it, in one line, and carries them as data (`problems`).
 */
export function readConfig<P extends Part>(env: Env, parts: readonly P[]): Pick<AppConfig, P> {
  const wanted = new Set<Part>(parts);
  const problems: ConfigProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(VARIABLES) as Array<[keyof typeof VARIABLES, Variable<unknown>]>) {
    const raw = env[name]?.trim() || undefined;
    const reading = variable.read(raw);
    values[name] = reading.value;
    if ('problem' in reading && wanted.has(variable.part)) problems.push({ variable: name, message: reading.problem });
  }
  const v = values as Values;
  problems.push(...crossChecks({ values: v, parts: wanted, alreadyBad: new Set(problems.map((p) => p.variable)) }));
  if (problems.length > 0) throw new ConfigError({ problems });
  const config: Partial<AppConfig> = {};
  if (wanted.has('engine')) {
    config.engine = Object.freeze({
      embeddingModel: v.EMBEDDING_MODEL,
      modelsDir: v.MODELS_DIR,
      modelCacheDir: v.MODEL_CACHE_DIR,
      indexDir: v.INDEX_DIR,
      corpusDir: v.CORPUS_DIR,
      databaseUrl: v.DATABASE_URL,
      logLevel: v.LOG_LEVEL,
    });
  }
  if (wanted.has('bot')) {
    config.bot = Object.freeze({
      token: v.BOT_TOKEN,
      apiRoot: v.TELEGRAM_API_ROOT,
      adminIds: Object.freeze([...v.ADMIN_IDS]),
      questionsPerMinute: v.RATE_LIMIT,
      maxQuestionChars: v.MAX_QUESTION_CHARS,
    });
  }
  if (wanted.has('server')) {
    const webhook = v.WEBHOOK_URL && v.WEBHOOK_SECRET ? Object.freeze({ url: v.WEBHOOK_URL.toString(), path: v.WEBHOOK_URL.pathname, secret: v.WEBHOOK_SECRET }) : undefined;
    config.server = Object.freeze({
      mode: webhook ? 'webhook' : 'polling',
      webhook,
      port: webhook ? (v.PORT ?? DEFAULT_WEBHOOK_PORT) : (v.HEALTH_PORT ?? v.PORT),
      host: v.HTTP_HOST,
      shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    });
  }
  return config as Pick<AppConfig, P>;
}

/** The engine settings alone (the CLI, the index build, evaluation). */
export function parseEngineConfig(env: Env): Readonly<EngineConfig> {
  return readConfig(env, ['engine']).engine;
}

/** Everything the bot process is configured with. Cheap and without side effects. */
export function parseAppConfig(env: Env): AppConfig {
  return readConfig(env, ['engine', 'bot', 'server']);
}

/** The Telegram settings alone. */
export function parseBotConfig(env: Env): Readonly<BotConfig> {
  return readConfig(env, ['bot']).bot;
}

/** The update-delivery and HTTP settings alone. */
export function parseServerConfig(env: Env): Readonly<ServerConfig> {
  return readConfig(env, ['server']).server;
}
