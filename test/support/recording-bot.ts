import type { Update, UserFromGetMe } from 'grammy/types';
import type { ReloadableEngines } from '../../src/bot/features/admin.js';
import { createBot } from '../../src/bot/create-bot.js';
import { createLogger } from '../../src/app/logger.js';
import { BOT_INFO } from './bot-harness.js';

/** A token shaped like a real one; tests assert it never leaves the process. */
export const SECRET_TOKEN = '7654321098:AAF-robustnessTestSecret_9xQzLmNoPqRsTuVw';

/** The bot's identity: the harness bot with a realistic id and name. */
export const ROBUST_BOT_INFO: UserFromGetMe = { ...BOT_INFO, id: 7654321098, first_name: 'Dushanbe Quotes', username: 'DushanbeQuotesBot' };

export interface OutgoingCall {
  method: string;
  payload: Record<string, unknown>;
  /** The update being handled when the call was made. */
  updateId: number | undefined;
}

/**
 * The real bot from createBot with every outgoing Bot API call recorded and answered with a
 * fake success by an `api.config.use` transformer, and every log line (level trace, through
 * the production logger with its token scrubbing) captured.
 */
export function createRecordingBot(options: {
  engines: ReloadableEngines;
  adminIds?: number[];
  questionsPerMinute?: number;
  maxQuestionChars?: number;
  /** Raw log lines before scrubbing are not kept; these are what production writes. */
  logLevel?: string;
  now?: () => number;
}) {
  const calls: OutgoingCall[] = [];
  const logs: string[] = [];
  const logger = createLogger({ level: options.logLevel ?? 'trace', secrets: [SECRET_TOKEN], destination: { write: (line: string) => logs.push(line) } });
  const bot = createBot({
    token: SECRET_TOKEN,
    engines: options.engines,
    adminIds: options.adminIds ?? [],
    logger,
    questionsPerMinute: options.questionsPerMinute ?? 1000,
    maxQuestionChars: options.maxQuestionChars ?? 500,
    ...(options.now ? { now: options.now } : {}),
    botInfo: ROBUST_BOT_INFO,
  });
  let current: number | undefined;
  let nextMessageId = 50_000;
  bot.api.config.use(async (_prev, method, payload) => {
    const p = { ...(payload as Record<string, unknown>) };
    calls.push({ method, payload: p, updateId: current });
    if (method === 'sendMessage') {
      const chat = { id: Number(p.chat_id ?? 0), type: Number(p.chat_id) < 0 ? 'group' : 'private', title: 'chat', first_name: 'chat' };
      return { ok: true, result: { message_id: nextMessageId++, date: 0, chat, text: String(p.text ?? '') } } as never;
    }
    if (method === 'editMessageText') {
      return { ok: true, result: { message_id: Number(p.message_id ?? 0), date: 0, chat: { id: Number(p.chat_id ?? 0), type: 'private', first_name: 'x' }, text: String(p.text ?? '') } } as never;
    }
    return { ok: true, result: true } as never;
  });
  let updateId = 1;
  return {
    bot,
    calls,
    logs,
    /** Sends one update through bot.handleUpdate; returns the calls it caused. */
    async send(update: Record<string, unknown>): Promise<OutgoingCall[]> {
      const id = updateId++;
      current = id;
      const before = calls.length;
      await bot.handleUpdate({ update_id: id, ...update } as unknown as Update);
      return calls.slice(before);
    },
    /** Log lines at level error or fatal. */
    errorLogs: () => logs.filter((line) => /"level":(50|60)/.test(line)),
  };
}

/** Entities a Telegram client attaches: a leading command, and mentions of `@username`. */
export function clientEntities(text: string): Array<{ type: 'bot_command' | 'mention'; offset: number; length: number }> {
  const entities: Array<{ type: 'bot_command' | 'mention'; offset: number; length: number }> = [];
  const command = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const m of text.matchAll(/(?<![\w@])@[A-Za-z0-9_]{5,32}\b/g)) {
    if (m.index !== 0 || !command) entities.push({ type: 'mention', offset: m.index ?? 0, length: m[0].length });
  }
  return entities;
}
