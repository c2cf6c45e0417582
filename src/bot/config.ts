import type { Env } from '../app/engine-config.js';
import { ConfigError } from '../core/errors.js';

/** What the Telegram front end needs besides the engine settings. */
export interface BotConfig {
  /** Never log this. */
  token: string;
  /** A self-hosted Bot API server or a test emulator; undefined means Telegram's own. */
  apiRoot: string | undefined;
  /** Telegram user ids allowed to run admin commands such as /reload. */
  adminIds: readonly number[];
  /** Questions one user may ask per minute before being asked to slow down. */
  questionsPerMinute: number;
  /** Longer questions are refused with a clear message. */
  maxQuestionChars: number;
}

/** @default 10 questions a minute per user */
export const DEFAULT_QUESTIONS_PER_MINUTE = 10;
/** @default 500 characters */
export const DEFAULT_MAX_QUESTION_CHARS = 500;
/** The engine reads at most this much of a question, so a larger limit would only mislead. */
const MAX_QUESTION_CHARS_CEILING = 1000;

/**
 * Reads the bot settings once. Every problem is collected into one ConfigError line that
 * names each variable and how to fix it; the result is frozen.
 */
export function parseBotConfig(env: Env): Readonly<BotConfig> {
  const problems: string[] = [];

  const token = env.BOT_TOKEN?.trim() ?? '';
  if (token === '') {
    problems.push('BOT_TOKEN is required: create a bot with @BotFather and set BOT_TOKEN=<the token it gives you>');
  } else if (!/^\d+:[\w-]+$/.test(token)) {
    // The value itself is never echoed: a half-pasted token is still a secret.
    problems.push('BOT_TOKEN must look like 123456789:AAE… (digits, a colon, then letters, digits, _ or -); copy it again from @BotFather');
  }

  let apiRoot: string | undefined;
  const rawRoot = env.TELEGRAM_API_ROOT?.trim();
  if (rawRoot) {
    let url: URL | undefined;
    try {
      url = new URL(rawRoot);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      problems.push(`TELEGRAM_API_ROOT must be an http(s) URL such as http://127.0.0.1:8081, or unset for Telegram's own server (got "${rawRoot}")`);
    } else {
      // grammY refuses a trailing slash; accept it from people and drop it here.
      apiRoot = rawRoot.replace(/\/+$/, '');
    }
  }

  const adminIds: number[] = [];
  const rawAdmins = env.ADMIN_IDS?.trim();
  if (rawAdmins) {
    const bad = rawAdmins
      .split(',')
      .map((part) => part.trim())
      .filter((part) => {
        if (part === '') return false;
        if (!/^-?\d{1,16}$/.test(part)) return true;
        adminIds.push(Number(part));
        return false;
      });
    if (bad.length > 0) {
      problems.push(`ADMIN_IDS must be comma-separated numeric Telegram user ids such as 12345,67890 (bad: ${bad.map((b) => `"${b}"`).join(', ')})`);
    }
  }

  const questionsPerMinute = positiveInt({ env, name: 'RATE_LIMIT', fallback: DEFAULT_QUESTIONS_PER_MINUTE, max: 1000, unit: 'questions per minute per user', problems });
  const maxQuestionChars = positiveInt({ env, name: 'MAX_QUESTION_CHARS', fallback: DEFAULT_MAX_QUESTION_CHARS, max: MAX_QUESTION_CHARS_CEILING, unit: 'characters', problems });

  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return Object.freeze({ token, apiRoot, adminIds: Object.freeze(adminIds), questionsPerMinute, maxQuestionChars });
}

function positiveInt(options: { env: Env; name: string; fallback: number; max: number; unit: string; problems: string[] }): number {
  const { env, name, fallback, max, unit, problems } = options;
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    problems.push(`${name} must be a whole number of ${unit} from 1 to ${max}, or unset for ${fallback} (got "${raw}")`);
    return fallback;
  }
  return value;
}
