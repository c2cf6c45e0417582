import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundles, translator } from '../../src/render/messages.js';
import { startEmulatedBot } from '../support/emulated-bot.js';
import { REAL_MODELS_DIR } from '../support/real-model-eval.js';
import { EMULATOR_BOT } from '../../tools/telegram/emulator.js';

const RU = translator(loadBundles(), 'ru');

/**
 * The reader's view with real weights, through the Telegram emulator: follow-ups, the user's
 * language, and (with the multilingual model, when present) a question in Russian.
 */
function startBot(options: { model: 'bundled' | 'multilingual-e5-small'; token: string }) {
  return startEmulatedBot({ token: options.token, model: options.model === 'bundled' ? 'bundled' : { profile: options.model, modelsDir: REAL_MODELS_DIR } });
}

/** The bot's answer as Telegram hands it back in `reply_to_message`. */
function botMessage(chatId: number, messageId: number) {
  return { message_id: messageId, chat: { id: chatId, type: 'private' as const, first_name: 'Ann' }, date: 0, text: 'answer', from: { ...EMULATOR_BOT, is_bot: true } };
}

/** The first source line of an answer: "— <b>Outlet</b>, date: …". */
const firstSource = (html: string) => /<\/blockquote>\n(— [^\n]+)/.exec(html)?.[1] ?? '';

describe('the reader’s view with the bundled model, through the emulator', () => {
  const TOKEN = '321:reader';
  let bot: Awaited<ReturnType<typeof startBot>>;
  beforeAll(async () => {
    bot = await startBot({ model: 'bundled', token: TOKEN });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('a reply "and in 2022?" to the trade answer is answered with a quote about 2022', async () => {
    const chat = { userId: 31, chatId: 31, type: 'private' as const, firstName: 'Ann' };
    const { emulator } = bot;
    const client = emulator.server.getClient(TOKEN, chat);
    await client.sendMessage(client.makeMessage('How much trade did Russia do with Central Asia last year?'));
    const first = await emulator.waitFor('the trade answer', emulator.replyTo(chat.chatId, emulator.lastUserMessageId(chat.chatId)));
    expect(first.message.text).toMatch(/^<blockquote>[^<]*\$?45/);

    await client.sendMessage(client.makeMessage('and in 2022?', { reply_to_message: botMessage(chat.chatId, first.messageId) }));
    const followUp = await emulator.waitFor('the follow-up answer', emulator.replyTo(chat.chatId, emulator.lastUserMessageId(chat.chatId)));
    // The 2022 article is undated: its source line names its event.
    expect(firstSource(followUp.message.text)).toContain('2022');
    expect(followUp.message.text).toMatch(/^<blockquote>[^<]*(trade|Trade)/);
  });

  it('"who founded it?" in reply to an answer about BTK names the founder', async () => {
    const chat = { userId: 32, chatId: 32, type: 'private' as const, firstName: 'Ann' };
    const { emulator } = bot;
    const client = emulator.server.getClient(TOKEN, chat);
    await client.sendMessage(client.makeMessage('What investment agreement did the BTK Group sign?'));
    const first = await emulator.waitFor('the BTK answer', emulator.replyTo(chat.chatId, emulator.lastUserMessageId(chat.chatId)));
    await client.sendMessage(client.makeMessage('who founded it?', { reply_to_message: botMessage(chat.chatId, first.messageId) }));
    const followUp = await emulator.waitFor('the follow-up answer', emulator.replyTo(chat.chatId, emulator.lastUserMessageId(chat.chatId)));
    expect(followUp.message.text).toMatch(/^<blockquote>[^<]*Bolloev/);
  });

  it('/start in Russian for a user whose Telegram language is Russian', async () => {
    const chat = { userId: 33, chatId: 33, type: 'private' as const, firstName: 'Аня' };
    const { emulator } = bot;
    const client = emulator.server.getClient(TOKEN, chat);
    await client.sendCommand(client.makeCommand('/start', { from: { language_code: 'ru' } }));
    const reply = await emulator.waitFor('the /start reply', () => emulator.botMessages(chat.chatId).at(0));
    expect(reply.message.text).toContain('Здравствуйте, Аня!');
    expect(reply.message.text).toContain(RU('help-what'));
  });

  it('a question in Russian to the English-only model gets, in Russian, which language it reads, never "not covered"', async () => {
    const chat = { userId: 34, chatId: 34, type: 'private' as const, firstName: 'Аня' };
    const { emulator } = bot;
    const client = emulator.server.getClient(TOKEN, chat);
    await client.sendMessage(client.makeMessage('Каким был товарооборот России со странами Центральной Азии в прошлом году?', { from: { language_code: 'ru' } }));
    const reply = await emulator.waitFor('the reply', emulator.replyTo(chat.chatId, emulator.lastUserMessageId(chat.chatId)));
    expect(reply.message.text).toContain(RU('language-unsupported'));
    expect(reply.message.text).not.toContain(RU('not-covered'));
  });
});

const E5 = 'multilingual-e5-small';
const e5Present = existsSync(join(REAL_MODELS_DIR, 'Xenova', E5, 'onnx', 'model_quantized.onnx'));
// Visible in the run's output, so a skipped check is never mistaken for a passing one.
if (!e5Present) console.warn(`Russian questions through the emulator skipped: no ${E5} weights in ${REAL_MODELS_DIR}`);

describe.skipIf(!e5Present)(`a question in Russian with ${E5}, through the emulator`, () => {
  const TOKEN = '321:multilingual';
  let bot: Awaited<ReturnType<typeof startBot>>;
  beforeAll(async () => {
    bot = await startBot({ model: E5, token: TOKEN });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('is answered with the English quote that answers it, and the bot’s words in Russian', async () => {
    const chat = { userId: 41, chatId: 41, type: 'private' as const, firstName: 'Аня' };
    const { emulator } = bot;
    const client = emulator.server.getClient(TOKEN, chat);
    await client.sendMessage(client.makeMessage('Сколько составил товарооборот России с пятью странами Центральной Азии в прошлом году?', { from: { language_code: 'ru' } }));
    const reply = await emulator.waitFor('the answer', emulator.replyTo(chat.chatId, emulator.lastUserMessageId(chat.chatId)));
    // The quotes stay verbatim in English; the one with the trade figure is on the first page.
    // Russian questions put their quote in the top three about 0.74 of the time (first 0.59;
    // the quality suite holds those rates): this one names the five countries, which puts it
    // first; asked as "Каким был товарооборот России со странами Центральной Азии …", the
    // figure is fourth since the e5 params were refitted.
    expect(reply.message.text).toMatch(/^<blockquote>/);
    expect(reply.message.text).toMatch(/<blockquote>[^<]*(45 ?bn|45 billion)[^<]*<\/blockquote>/);
    // The other outlets are named in Russian words: "Об этом же пишут: …".
    expect(reply.message.text).toContain(RU('also-reported', { outlets: '' }).replace(/\s*\.$/, ''));
    expect(reply.message.text).toMatch(/октября 2025|без даты/);
  });
});
