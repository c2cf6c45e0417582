import { describe, expect, it } from 'vitest';
import { createMemoryConversations } from '../../src/bot/conversations.js';
import { BOT_INFO, GROUP, USER, answered, createHarness, fakeEngine, fixedEngines, snippet } from '../support/bot-harness.js';

/** Every question reaches this engine, which answers each with one quote. */
const engine = () => fakeEngine((q) => answered([snippet({ quote: `About: ${q}` })], q));

/** A bot message as Telegram includes it in a reply: plain text, the quote as a blockquote entity. */
function botAnswer(options: { id: number; quote: string; chat?: Record<string, unknown> }) {
  const source = '\n— ThePrint (Reuters), 9 October 2025: “Putin urges trade”';
  return {
    message_id: options.id,
    date: 0,
    chat: options.chat ?? { id: USER.id, type: 'private', first_name: USER.first_name },
    from: { id: BOT_INFO.id, is_bot: true, first_name: BOT_INFO.first_name, username: BOT_INFO.username },
    text: `${options.quote}${source}`,
    entities: [{ type: 'blockquote', offset: 0, length: options.quote.length }],
  };
}

describe('follow-ups are answered in the context of the question they follow', () => {
  it('a reply "and in 2022?" to an answer asks about the answered question in 2022', async () => {
    const e = engine();
    const h = createHarness({ engines: fixedEngines(e) });
    await h.privateText('How much trade did Russia do with Central Asia?');
    const [answerId] = h.sentIds();
    await h.privateText('and in 2022?', undefined, { reply_to_message: botAnswer({ id: answerId ?? 0, quote: 'x' }) });
    expect(e.questions).toEqual(['How much trade did Russia do with Central Asia?', 'How much trade did Russia do with Central Asia? and in 2022?']);
  });

  it('a short question pointing back ("who founded it?") is read with the answer it replies to', async () => {
    const e = engine();
    const h = createHarness({ engines: fixedEngines(e) });
    await h.privateText('What is BTK Group?');
    await h.privateText('who founded it?', undefined, { reply_to_message: botAnswer({ id: h.sentIds()[0] ?? 0, quote: 'x' }) });
    expect(e.questions.at(-1)).toBe('who founded BTK Group?');
  });

  it('a standalone question sent as a reply is answered on its own', async () => {
    const e = engine();
    const h = createHarness({ engines: fixedEngines(e) });
    await h.privateText('How much trade did Russia do with Central Asia?');
    await h.privateText('How many Russian troops are in Tajikistan?', undefined, { reply_to_message: botAnswer({ id: h.sentIds()[0] ?? 0, quote: 'x' }) });
    expect(e.questions.at(-1)).toBe('How many Russian troops are in Tajikistan?');
  });

  it('in a private chat, a continuation right after an answer follows the last question without a reply', async () => {
    const e = engine();
    const h = createHarness({ engines: fixedEngines(e) });
    await h.privateText('How much trade did Russia do with Central Asia?');
    await h.privateText('And what about 2022?');
    // A single word without a reply is a new question ("Rogun?"), not a follow-up.
    await h.privateText('Rogun?');
    expect(e.questions.slice(1)).toEqual(['How much trade did Russia do with Central Asia? And what about 2022?', 'Rogun?']);
  });

  it('forgets a chat after the expiry: a late "and in 2022?" is a question of its own', async () => {
    let now = 0;
    const e = engine();
    const h = createHarness({ engines: fixedEngines(e), now: () => now, conversations: createMemoryConversations({ now: () => now, ttlMs: 60_000 }) });
    await h.privateText('How much trade did Russia do with Central Asia?');
    now = 61_000;
    await h.privateText('and in 2022?');
    expect(e.questions.at(-1)).toBe('and in 2022?');
  });

  it('in a group, only a reply to the bot carries context: chatter continuing someone else is not read as a follow-up', async () => {
    const e = engine();
    const h = createHarness({ engines: fixedEngines(e) });
    await h.groupText('/ask How much trade did Russia do with Central Asia?');
    const answerId = h.sentIds()[0] ?? 0;
    await h.groupText('/ask and in 2022?');
    await h.groupText('and in 2022?', { reply_to_message: botAnswer({ id: answerId, quote: 'x', chat: GROUP }) });
    expect(e.questions).toEqual(['How much trade did Russia do with Central Asia?', 'and in 2022?', 'How much trade did Russia do with Central Asia? and in 2022?']);
  });

  it('in a group, a reply to the bot\'s "not covered" is a follow-up of the question it declined', async () => {
    const declined = fakeEngine((q) => ({ ...answered([], q), answered: false }));
    const h = createHarness({ engines: fixedEngines(declined) });
    await h.groupText('/ask Who founded BTK Group in 2025?');
    const refusalId = h.sentIds()[0] ?? 0;
    const refusal = { ...botAnswer({ id: refusalId, quote: 'x', chat: GROUP }), text: 'The coverage does not say.', entities: [] };
    await h.groupText('and in 2022?', { reply_to_message: refusal });
    expect(declined.questions).toEqual(['Who founded BTK Group in 2025?', 'Who founded BTK Group in 2025? and in 2022?']);
  });

  it('after a restart, a reply takes its context from the quote in the replied answer', async () => {
    const e = engine();
    // A fresh bot: its memory is empty, as after a restart or on another replica.
    const h = createHarness({ engines: fixedEngines(e) });
    const quote = 'Russia’s trade with Central Asia was over $45 billion last year.';
    await h.privateText('and in 2022?', undefined, { reply_to_message: botAnswer({ id: 77, quote }) });
    expect(e.questions).toEqual([`${quote} and in 2022?`]);
  });

  it('a reply to a bot message without a quote (a refusal, a hint) is answered on its own', async () => {
    const e = engine();
    const h = createHarness({ engines: fixedEngines(e) });
    const hint = { ...botAnswer({ id: 78, quote: 'x' }), text: 'Sorry, the articles I know don’t cover that.', entities: [] };
    await h.privateText('and in 2022?', undefined, { reply_to_message: hint });
    expect(e.questions).toEqual(['and in 2022?']);
  });

  it('a reply to another person’s message is not a follow-up to the bot', async () => {
    const e = engine();
    const h = createHarness({ engines: fixedEngines(e) });
    await h.privateText('How much trade did Russia do with Central Asia?');
    const someone = { message_id: 5, date: 0, chat: GROUP, from: { id: 77, is_bot: false, first_name: 'Bo' }, text: 'What about the base?' };
    await h.groupText('/ask and in 2022?', { reply_to_message: someone });
    expect(e.questions.at(-1)).toBe('and in 2022?');
  });
});

describe('conversation memory', () => {
  it('keeps at most the last answers of each chat and the most recent chats', async () => {
    const memory = createMemoryConversations({ perChat: 2, maxChats: 2, now: () => 0 });
    for (const message of [1, 2, 3]) await memory.answered({ chat: 1, message, question: `q${message}` });
    expect(await memory.questionOf({ chat: 1, message: 1 })).toBeUndefined();
    expect(await memory.questionOf({ chat: 1, message: 3 })).toBe('q3');
    await memory.answered({ chat: 2, message: 1, question: 'other' });
    await memory.answered({ chat: 3, message: 1, question: 'third' });
    // Chat 1 was the least recently answered: forgotten first.
    expect(await memory.last({ chat: 1 })).toBeUndefined();
    expect(await memory.last({ chat: 3 })).toBe('third');
  });
});
