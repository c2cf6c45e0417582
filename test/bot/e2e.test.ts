import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatedBot } from '../support/emulated-bot.js';
import type { createTestEngine } from '../support/engine.js';
import { EMULATOR_BOT, type Emulator } from '../../tools/telegram/emulator.js';

const TOKEN = '123:abc';
// A question whose answer from the generated test model runs past the first page (More sources).
const QUESTION = 'Who hosted Putin in Dushanbe both in 2022 and in 2025?';
const PRIVATE = { userId: 11, chatId: 11, type: 'private' as const, firstName: 'Ann' };
const GROUP = { userId: 12, chatId: -100200, type: 'group' as const, chatTitle: 'Newsroom', firstName: 'Bo' };

/** The real bot, polling the emulator over HTTP exactly as it polls Telegram. */
describe('bot end to end through the Telegram emulator', () => {
  let fixture: Awaited<ReturnType<typeof createTestEngine>>;
  let emulator: Emulator;
  let stop: (() => Promise<void>) | undefined;
  let outlets: Set<string>;

  beforeAll(async () => {
    ({ fixture, emulator, stop } = await startEmulatedBot({ token: TOKEN }));
    outlets = new Set(fixture.engine.info.sources.map((s) => s.outlet));
  });

  afterAll(async () => {
    await stop?.();
  });

  it('/start greets and explains how to ask', async () => {
    const client = emulator.server.getClient(TOKEN, PRIVATE);
    await client.sendCommand(client.makeCommand('/start'));
    const reply = await emulator.waitFor('the /start reply', () => emulator.botMessages(PRIVATE.chatId).find((m) => m.message.text.includes('What I know')));
    expect(reply.message.text).toContain('Hello, Ann!');
    expect(reply.message.parse_mode).toBe('HTML');
  });

  it('answers a private question with a quote and its source, and More sources sends the next ones under it', async () => {
    const client = emulator.server.getClient(TOKEN, PRIVATE);
    await client.sendMessage(client.makeMessage(QUESTION));
    const questionId = emulator.lastUserMessageId(PRIVATE.chatId);
    const answer = await emulator.waitFor('the answer', emulator.replyTo(PRIVATE.chatId, questionId));
    const text = answer.message.text;
    const sourceLine = /<\/blockquote>\n— <b>([^<]+)<\/b>, /.exec(text);
    expect(text).toMatch(/^<blockquote>[^<]+<\/blockquote>/);
    expect(outlets).toContain(sourceLine?.[1]?.replace(/&amp;/g, '&'));

    const button = answer.message.reply_markup && 'inline_keyboard' in answer.message.reply_markup ? answer.message.reply_markup.inline_keyboard[0]?.[0] : undefined;
    expect(button?.text).toMatch(/^More sources \(\d+ more\)$/);
    const data = button && 'callback_data' in button ? button.callback_data : undefined;
    expect(data).toBe('more:3');
    // What Telegram attaches to a callback: the answer message, which replies to the question.
    const chat = { id: PRIVATE.chatId, type: 'private' as const, first_name: 'Ann' };
    await client.sendCallback(
      client.makeCallbackQuery(data ?? '', {
        message: {
          message_id: answer.messageId,
          chat,
          date: 0,
          text,
          reply_to_message: { message_id: questionId, chat, date: 0, text: QUESTION, from: { id: PRIVATE.userId, is_bot: false, first_name: 'Ann' } },
        },
      }),
    );
    const more = await emulator.waitFor('the next sources', emulator.replyTo(PRIVATE.chatId, answer.messageId));
    expect(more.message.text).toMatch(/^<b>More sources \(4(–\d+)? of \d+\)<\/b>\n\n<blockquote>/);
    // The first answer stays as it was, only without its used button.
    const first = await emulator.waitFor('the button to go', () => {
      const stored = emulator.botMessages(PRIVATE.chatId).find((m) => m.messageId === answer.messageId);
      const markup = stored?.message.reply_markup;
      return markup && 'inline_keyboard' in markup && markup.inline_keyboard.length === 0 ? stored : undefined;
    });
    expect(first.message.text).toBe(text);
  });

  it('in a group: ignores chatter, answers a mention, a follow-up reply and /ask@bot', async () => {
    const client = emulator.server.getClient(TOKEN, GROUP);
    await client.sendMessage(client.makeMessage('Who founded BTK Group? Anyone?'));
    const chatterId = emulator.lastUserMessageId(GROUP.chatId);

    const mention = `@${EMULATOR_BOT.username} who founded BTK Group?`;
    await client.sendMessage(client.makeMessage(mention, { entities: [{ type: 'mention', offset: 0, length: EMULATOR_BOT.username.length + 1 }] }));
    const mentionId = emulator.lastUserMessageId(GROUP.chatId);
    const mentionAnswer = await emulator.waitFor('the answer to the mention', emulator.replyTo(GROUP.chatId, mentionId));
    expect(mentionAnswer.message.text).toContain('<blockquote>');

    const botMessage = { message_id: mentionAnswer.messageId, chat: { id: GROUP.chatId, type: 'group' as const, title: 'Newsroom' }, date: 0, text: 'answer', from: { ...EMULATOR_BOT, is_bot: true } };
    await client.sendMessage(client.makeMessage('And how much was trade with Central Asia?', { reply_to_message: botMessage }));
    const followUpId = emulator.lastUserMessageId(GROUP.chatId);
    const followUp = await emulator.waitFor('the answer to the follow-up', emulator.replyTo(GROUP.chatId, followUpId));
    expect(followUp.message.text).toContain('<blockquote>');

    await client.sendCommand(client.makeCommand(`/ask@${EMULATOR_BOT.username} What did the joint communique say?`));
    const askId = emulator.lastUserMessageId(GROUP.chatId);
    await emulator.waitFor('the answer to /ask@bot', emulator.replyTo(GROUP.chatId, askId));

    // Everything after the chatter was answered, so the chatter had its turn: no reply to it.
    expect(emulator.replyTo(GROUP.chatId, chatterId)()).toBeUndefined();
    expect(emulator.botMessages(GROUP.chatId)).toHaveLength(3);
  });
});
