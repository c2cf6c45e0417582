import type { Update, UserFromGetMe } from 'grammy/types';
import pino from 'pino';
import type { Answer, AnswerEngine, EngineInfo, Snippet, Source } from '../../src/core/types.js';
import { createBot } from '../../src/bot/create-bot.js';
import type { ConversationMemory } from '../../src/bot/conversations.js';
import type { ReloadableEngines } from '../../src/bot/features/admin.js';
import type { ReloadResult } from '../../src/app/serving/engine-holder.js';
import { loadBundles, translator } from '../../src/render/messages.js';

/** One Bot API call the bot made. */
export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
  /** The id Telegram gave a sent message. */
  messageId?: number;
}

export const BOT_INFO: UserFromGetMe = {
  id: 4242,
  is_bot: true,
  first_name: 'Quotes',
  username: 'QuotesTestBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export const USER = { id: 1001, is_bot: false, first_name: 'Ann' } as const;
export const GROUP = { id: -5005, type: 'group', title: 'Newsroom' } as const;

export function source(overrides: Partial<Source> = {}): Source {
  return { id: 'a1', title: 'Putin urges trade', outlet: 'ThePrint (Reuters)', date: '2025-10-09', url: 'https://example.com/a1', ...overrides };
}

export function snippet(overrides: Partial<Snippet> = {}): Snippet {
  return { quote: 'Trade reached $45bn last year.', source: source(), score: 0.9, start: 0, end: 10, event: 'October 2025 visit', corroboratedBy: [], ...overrides };
}

export function answered(snippets: Snippet[], question = 'q'): Answer {
  return { question, answered: true, snippets, events: [...new Set(snippets.map((s) => s.event))] };
}

/** The corpus description the rendering tests expect (as corpus/about.json says it). */
export const ABOUT = {
  description: { en: 'the news coverage of Putin’s visits to Dushanbe' },
  topics: { en: 'trade, security, migration, the summit and the people involved' },
  examples: { en: ["How much was Russia's trade with the five Central Asian states last year?", 'Who founded BTK Group?'] },
};

export const INFO: EngineInfo = {
  about: ABOUT,
  modelId: 'test-model',
  dimensions: 8,
  builtAt: '2026-01-02T03:04:05.000Z',
  articles: 2,
  chunks: 7,
  sources: [
    { ...source(), event: 'October 2025 visit' },
    { ...source({ id: 'b2', outlet: 'bne IntelliNews', date: null, url: null, title: 'Central Asia <tour> & more' }), event: 'June 2022 visit' },
  ],
};

/** An engine whose answers a test chooses; records the questions it was asked. */
export function fakeEngine(answer: (question: string) => Answer, info: EngineInfo = INFO): AnswerEngine & { questions: string[] } {
  const questions: string[] = [];
  return {
    info,
    questions,
    async answer(question) {
      questions.push(question);
      return answer(question);
    },
  };
}

/** Engines for createBot: a fixed engine, and a reload whose result the test chooses. */
export function fixedEngines(engine: AnswerEngine, reload: () => Promise<ReloadResult> = async () => ({ status: 'unchanged', build: 'b1' })): ReloadableEngines {
  return { current: engine, reload };
}

/**
 * A bot whose outgoing calls are recorded (and answered with fake successes) by an
 * `api.config.use` transformer; updates go in through `bot.handleUpdate`.
 */
export function createHarness(options: {
  engines: ReloadableEngines;
  adminIds?: number[];
  questionsPerMinute?: number;
  maxQuestionChars?: number;
  now?: () => number;
  conversations?: ConversationMemory;
}) {
  const calls: RecordedCall[] = [];
  const bot = createBot({
    token: '123:abc',
    engines: options.engines,
    adminIds: options.adminIds ?? [],
    logger: pino({ level: 'silent' }),
    questionsPerMinute: options.questionsPerMinute ?? 100,
    maxQuestionChars: options.maxQuestionChars ?? 300,
    now: options.now ?? (() => 0),
    ...(options.conversations ? { conversations: options.conversations } : {}),
    botInfo: BOT_INFO,
  });
  let nextMessageId = 9000;
  bot.api.config.use(async (_prev, method, payload) => {
    const call: RecordedCall = { method, payload: { ...(payload as Record<string, unknown>) } };
    calls.push(call);
    const p = payload as { chat_id?: number; text?: string };
    if (method === 'sendMessage') {
      call.messageId = nextMessageId++;
      const result = { message_id: call.messageId, date: 0, chat: { id: p.chat_id ?? 0, type: 'private' }, text: p.text ?? '' };
      return { ok: true, result } as never;
    }
    return { ok: true, result: true } as never;
  });
  let updateId = 1;
  let messageId = 1;

  const message = (text: string, extra: Record<string, unknown> = {}) => ({
    message_id: messageId++,
    date: 0,
    chat: { id: USER.id, type: 'private', first_name: USER.first_name },
    from: USER,
    text,
    ...extra,
  });

  return {
    bot,
    calls,
    /** Calls of one method, e.g. every sendMessage. */
    sent: (method = 'sendMessage') => calls.filter((c) => c.method === method),
    /** Text of every message the bot sent. */
    texts: () => calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text)),
    /** Ids of every message the bot sent, in order. */
    sentIds: () => calls.filter((c) => c.method === 'sendMessage').map((c) => c.messageId ?? 0),
    async update(update: Omit<Update, 'update_id'>) {
      await bot.handleUpdate({ update_id: updateId++, ...update } as Update);
    },
    /** A private text message, with bot_command entities as a client adds them; `extra` adds reply_to_message. */
    async privateText(text: string, from: { id: number; is_bot: false; first_name: string; language_code?: string } = USER, extra: Record<string, unknown> = {}) {
      const m = message(text, { from, chat: { id: from.id, type: 'private', first_name: from.first_name }, ...commandEntities(text), ...extra });
      await bot.handleUpdate({ update_id: updateId++, message: m } as Update);
      return m;
    },
    /** A group text message; `extra` adds entities or reply_to_message. */
    async groupText(text: string, extra: Record<string, unknown> = {}) {
      const m = message(text, { chat: GROUP, ...commandEntities(text), ...extra });
      await bot.handleUpdate({ update_id: updateId++, message: m } as Update);
      return m;
    },
    async privateMessage(extra: Record<string, unknown>, chat: Record<string, unknown> = { id: USER.id, type: 'private', first_name: USER.first_name }) {
      const m = { message_id: messageId++, date: 0, chat, from: USER, ...extra };
      await bot.handleUpdate({ update_id: updateId++, message: m } as unknown as Update);
      return m;
    },
    async callback(data: string, answerMessage: Record<string, unknown> | undefined) {
      await bot.handleUpdate({
        update_id: updateId++,
        callback_query: { id: `cb${updateId}`, from: USER, chat_instance: 'ci', data, ...(answerMessage ? { message: answerMessage } : {}) },
      } as Update);
    },
    async inline(query: string) {
      await bot.handleUpdate({ update_id: updateId++, inline_query: { id: `iq${updateId}`, from: USER, query, offset: '' } } as Update);
    },
  };
}

/** A bot_command entity at the start, as Telegram clients send for "/cmd…". */
function commandEntities(text: string): { entities?: Array<{ type: 'bot_command'; offset: number; length: number }> } {
  const match = /^\/[\w@]+/.exec(text);
  return match ? { entities: [{ type: 'bot_command', offset: 0, length: match[0].length }] } : {};
}

/** A mention entity for `@name` inside text. */
export function mentionEntity(text: string, name: string) {
  return { type: 'mention' as const, offset: text.indexOf(name), length: name.length };
}

/** Every opened tag is closed in order: what Telegram's HTML parser requires. */
export function tagsBalanced(html: string): boolean {
  const stack: string[] = [];
  for (const match of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    const [, closing, name] = match;
    if (!name) return false;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else {
      stack.push(name);
    }
  }
  return stack.length === 0 && !/<(?![a-z/])/.test(html);
}

/** The bot's English words, as the renderers get them from locales/en.ftl. */
export const EN = translator(loadBundles(), 'en');
/** How the renderers speak English in tests. */
export const VOICE_EN = { t: EN, locale: 'en' };
export const FAILURE_TEXT = EN('failure');
export const EXPIRED_BUTTON_TEXT = EN('expired-button');
export const NO_MORE_TEXT = EN('more-none');
