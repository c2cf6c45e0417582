import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEngine } from '../support/engine.js';
import { FUZZ_KINDS, generateFuzzCases, type FuzzCase } from '../../tools/fuzz.js';
import { clientEntities, createRecordingBot, ROBUST_BOT_INFO, SECRET_TOKEN, type OutgoingCall } from '../support/recording-bot.js';
import { markupFragments, parseTelegramHtml } from '../../tools/telegram/html-checker.js';

/** 50 of each kind, each sent in a private chat, as /ask in a group and as a mention in a group. */
const CASES = generateFuzzCases({ count: FUZZ_KINDS.length * 50, seed: 99 });
const GROUP = { id: -100777, type: 'supergroup', title: 'Newsroom <b>&amp;</b>' };
const ME = `@${ROBUST_BOT_INFO.username}`;

let env: Awaited<ReturnType<typeof createTestEngine>>;
let recorder: ReturnType<typeof createRecordingBot>;
const handled: Array<{ fuzz: FuzzCase; where: 'private' | 'group-ask' | 'group-mention' | 'group-plain'; calls: OutgoingCall[]; error?: unknown }> = [];

function user(i: number) {
  return { id: 10_000 + (i % 50), is_bot: false, first_name: `User ${i % 50} <i>&`, language_code: 'en' };
}

function message(options: { i: number; text: string; chat: Record<string, unknown> }) {
  const { i, text, chat } = options;
  const entities = clientEntities(text);
  return { message_id: 1000 + i, date: 1_700_000_000, chat, from: user(i), text, ...(entities.length > 0 ? { entities } : {}) };
}

beforeAll(async () => {
  env = await createTestEngine();
  // The clock moves a minute per read: the rate limiter never refuses here (soak tests it).
  let clock = 0;
  recorder = createRecordingBot({
    engines: { current: env.engine, reload: async () => ({ status: 'unchanged', build: env.build }) },
    logLevel: 'info',
    now: () => (clock += 60_000),
  });
  let i = 0;
  for (const fuzz of CASES) {
    i++;
    const from = user(i);
    const variants: Array<[(typeof handled)[number]['where'], Record<string, unknown>]> = [
      ['private', { message: message({ i, text: fuzz.text, chat: { id: from.id, type: 'private', first_name: from.first_name } }) }],
      ['group-ask', { message: message({ i, text: `/ask ${fuzz.text}`, chat: GROUP }) }],
      ['group-mention', { message: message({ i, text: `${ME} ${fuzz.text}`, chat: GROUP }) }],
      ['group-plain', { message: message({ i, text: fuzz.text, chat: GROUP }) }],
    ];
    for (const [where, update] of variants) {
      // Telegram never delivers an empty text message; the bot gets the other variants.
      if (where === 'private' && fuzz.text === '') continue;
      try {
        handled.push({ fuzz, where, calls: await recorder.send(update) });
      } catch (error) {
        handled.push({ fuzz, where, calls: [], error });
      }
    }
  }
}, 180_000);

afterAll(async () => {
  await env?.close();
});

const texts = (calls: OutgoingCall[]) => calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText');

describe('bot under fuzzed messages (bot.handleUpdate)', () => {
  it('handles thousands of updates without a throw or an error log', () => {
    expect(handled.length).toBeGreaterThan(3000);
    expect(handled.filter((h) => h.error !== undefined).map((h) => `${h.where} ${h.fuzz.kind}: ${String(h.error)}`)).toEqual([]);
    expect(recorder.errorLogs()).toEqual([]);
  });

  it('sends only valid Telegram HTML of at most 4096 characters', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const h of handled) {
      for (const call of texts(h.calls)) {
        checked++;
        expect(call.payload.parse_mode).toBe('HTML');
        const { errors } = parseTelegramHtml(String(call.payload.text));
        if (errors.length > 0) problems.push(`${h.where} ${h.fuzz.kind} ${JSON.stringify(h.fuzz.text.slice(0, 80))}: ${errors.slice(0, 3).join('; ')}`);
      }
    }
    expect(checked).toBeGreaterThan(2000);
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('never lets markup from the user through as markup', () => {
    const leaks: string[] = [];
    for (const h of handled) {
      const fragments = markupFragments(h.fuzz.text);
      for (const call of texts(h.calls)) {
        const html = String(call.payload.text);
        for (const f of fragments) if (html.includes(f)) leaks.push(`${h.where}: ${f}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('answers every private message exactly once (commands aside) and threads group replies', () => {
    for (const h of handled) {
      const sent = h.calls.filter((c) => c.method === 'sendMessage');
      if (h.where === 'private') {
        const isCommand = h.fuzz.text.startsWith('/');
        if (isCommand) expect(sent.length, h.fuzz.text).toBeGreaterThanOrEqual(1);
        else expect(sent.length, `${h.fuzz.kind} ${JSON.stringify(h.fuzz.text.slice(0, 80))}`).toBe(1);
      } else {
        for (const call of sent) expect(call.payload.chat_id).toBe(GROUP.id);
      }
    }
  });

  it('stays quiet in groups unless addressed', () => {
    const plain = handled.filter((h) => h.where === 'group-plain' && !h.fuzz.text.startsWith('/') && !h.fuzz.text.includes(ME));
    expect(plain.length).toBeGreaterThan(400);
    for (const h of plain) expect(h.calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
    // A command addressed to another bot is not ours either.
    for (const h of handled.filter((x) => x.where === 'group-plain' && x.fuzz.kind === 'ask-other-bot')) {
      expect(h.calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
    }
  });

  it('answers /ask and mentions in groups, threaded under the question', () => {
    const addressed = handled.filter((h) => (h.where === 'group-ask' || h.where === 'group-mention') && h.fuzz.kind === 'real');
    expect(addressed.length).toBeGreaterThan(40);
    for (const h of addressed) {
      const sent = h.calls.filter((c) => c.method === 'sendMessage');
      expect(sent).toHaveLength(1);
      expect((sent[0]?.payload.reply_parameters as { message_id?: number } | undefined)?.message_id).toBeTypeOf('number');
    }
  });

  it('never puts the token in a reply or a log line', () => {
    for (const h of handled) for (const call of h.calls) expect(JSON.stringify(call.payload)).not.toContain(SECRET_TOKEN);
    expect(recorder.logs.join('\n')).not.toContain(SECRET_TOKEN);
    expect(recorder.logs.join('\n')).not.toContain(SECRET_TOKEN.split(':')[1]);
  });
});

describe('malformed and unusual updates', () => {
  const FROM = { id: 4321, is_bot: false, first_name: 'Eve' };
  const PRIVATE = { id: FROM.id, type: 'private', first_name: 'Eve' };
  const base = { message_id: 77, date: 1_700_000_000 };
  const question = 'How much trade did Russia do with Central Asia?';

  const CASES: Array<{ name: string; update: Record<string, unknown>; expect: 'silent' | 'reply' | 'any' }> = [
    { name: 'private message without from', update: { message: { ...base, chat: PRIVATE, text: question } }, expect: 'any' },
    { name: 'group /ask without from (anonymous admin)', update: { message: { ...base, chat: GROUP, sender_chat: GROUP, text: `/ask ${question}`, entities: clientEntities('/ask x') } }, expect: 'any' },
    { name: 'group /reload without from', update: { message: { ...base, chat: GROUP, sender_chat: GROUP, text: '/reload', entities: clientEntities('/reload') } }, expect: 'any' },
    { name: 'channel post', update: { channel_post: { ...base, chat: { id: -1009, type: 'channel', title: 'News' }, text: `/ask ${question}`, entities: clientEntities('/ask x') } }, expect: 'any' },
    { name: 'edited channel post', update: { edited_channel_post: { ...base, edit_date: 1, chat: { id: -1009, type: 'channel', title: 'News' }, text: question } }, expect: 'silent' },
    { name: 'edited private message', update: { edited_message: { ...base, edit_date: 1, chat: PRIVATE, from: FROM, text: question } }, expect: 'silent' },
    { name: 'edited group /ask', update: { edited_message: { ...base, edit_date: 1, chat: GROUP, from: FROM, text: `/ask ${question}`, entities: clientEntities('/ask x') } }, expect: 'any' },
    {
      name: 'forwarded question in private',
      update: { message: { ...base, chat: PRIVATE, from: FROM, text: question, forward_origin: { type: 'hidden_user', sender_user_name: 'Bob', date: 1 } } },
      expect: 'reply',
    },
    {
      name: 'forwarded channel post in private',
      update: { message: { ...base, chat: PRIVATE, from: FROM, text: question, forward_origin: { type: 'channel', chat: { id: -1009, type: 'channel', title: 'News' }, message_id: 5, date: 1 } } },
      expect: 'reply',
    },
    { name: 'photo with caption only, private', update: { message: { ...base, chat: PRIVATE, from: FROM, photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }], caption: question } }, expect: 'reply' },
    {
      name: 'photo with a caption mentioning the bot, group',
      update: { message: { ...base, chat: GROUP, from: FROM, photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }], caption: `${ME} ${question}`, caption_entities: [{ type: 'mention', offset: 0, length: ME.length }] } },
      expect: 'any',
    },
    { name: 'sticker in a group', update: { message: { ...base, chat: GROUP, from: FROM, sticker: { file_id: 'f', file_unique_id: 'u', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } } }, expect: 'silent' },
    { name: 'empty text', update: { message: { ...base, chat: PRIVATE, from: FROM, text: '' } }, expect: 'any' },
    { name: 'entities past the end of the text', update: { message: { ...base, chat: PRIVATE, from: FROM, text: '/a', entities: [{ type: 'bot_command', offset: 0, length: 500 }, { type: 'mention', offset: 90, length: 9 }] } }, expect: 'any' },
    { name: 'negative entity offsets', update: { message: { ...base, chat: GROUP, from: FROM, text: `${ME} hi`, entities: [{ type: 'mention', offset: -5, length: 3 }] } }, expect: 'any' },
    { name: 'message from another bot', update: { message: { ...base, chat: PRIVATE, from: { id: 99, is_bot: true, first_name: 'Bot' }, text: question } }, expect: 'any' },
    { name: 'text of 10,000 characters', update: { message: { ...base, chat: PRIVATE, from: FROM, text: `${question} `.repeat(220) } }, expect: 'reply' },
    { name: 'callback query without message or data', update: { callback_query: { id: 'cq1', from: FROM, chat_instance: 'ci', game_short_name: 'g' } }, expect: 'any' },
    { name: 'callback query on an inaccessible message', update: { callback_query: { id: 'cq2', from: FROM, chat_instance: 'ci', data: 'more:3', message: { chat: PRIVATE, message_id: 5, date: 0 } } }, expect: 'any' },
    { name: 'inline query of 10,000 characters', update: { inline_query: { id: 'iq1', from: FROM, query: 'x'.repeat(10_000), offset: '' } }, expect: 'any' },
    { name: 'inline query with markup', update: { inline_query: { id: 'iq2', from: FROM, query: '<b>trade</b> &amp; Central Asia', offset: '' } }, expect: 'any' },
    { name: 'bot added to a group', update: { my_chat_member: { chat: GROUP, from: FROM, date: 1, old_chat_member: { status: 'left', user: ROBUST_BOT_INFO }, new_chat_member: { status: 'member', user: ROBUST_BOT_INFO } } }, expect: 'silent' },
    { name: 'poll', update: { poll: { id: 'p', question: 'q?', options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false } }, expect: 'silent' },
    { name: 'reaction', update: { message_reaction: { chat: PRIVATE, message_id: 1, date: 1, old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] } }, expect: 'silent' },
    { name: 'an update type from the future', update: { some_future_update: { id: 1, payload: '<b>x</b>' } }, expect: 'silent' },
    { name: 'message in a chat of unknown type', update: { message: { ...base, chat: { id: 5, type: 'hyperchat' }, from: FROM, text: question } }, expect: 'any' },
    { name: 'reply to the bot in a group with only blanks', update: { message: { ...base, chat: GROUP, from: FROM, text: '   ', reply_to_message: { ...base, message_id: 1, chat: GROUP, from: ROBUST_BOT_INFO, text: 'old answer' } } }, expect: 'any' },
  ];

  let malformed: ReturnType<typeof createRecordingBot>;
  beforeAll(() => {
    malformed = createRecordingBot({ engines: { current: env.engine, reload: async () => ({ status: 'unchanged', build: env.build }) }, adminIds: [1] });
  });

  it.each(CASES)('$name: no crash, a sensible reply or none', async ({ update, expect: wanted }) => {
    const calls = await malformed.send(update);
    expect(malformed.errorLogs()).toEqual([]);
    const sent = calls.filter((c) => c.method === 'sendMessage');
    if (wanted === 'silent') expect(sent).toEqual([]);
    if (wanted === 'reply') expect(sent).toHaveLength(1);
    for (const call of texts(calls)) expect(parseTelegramHtml(String(call.payload.text)).errors).toEqual([]);
    for (const call of calls.filter((c) => c.method === 'answerCallbackQuery')) {
      expect(String(call.payload.text ?? '').length).toBeLessThanOrEqual(200);
    }
    for (const call of calls.filter((c) => c.method === 'answerInlineQuery')) {
      for (const result of (call.payload.results as Array<{ input_message_content: { message_text: string } }>) ?? []) {
        expect(parseTelegramHtml(result.input_message_content.message_text).errors).toEqual([]);
      }
    }
  });
});
