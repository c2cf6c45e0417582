import { describe, expect, it } from 'vitest';
import { EXPIRED_BUTTON_TEXT } from '../support/bot-harness.js';
import { USER, answered, createHarness, fakeEngine, fixedEngines, snippet } from '../support/bot-harness.js';

const seven = () => answered(Array.from({ length: 7 }, (_, i) => snippet({ quote: `Fact ${i}.` })));

/** The bot's answer message as Telegram includes it in a callback: a reply to the question. */
const answerMessage = (question: string) => ({
  message_id: 50,
  date: 0,
  chat: { id: USER.id, type: 'private', first_name: USER.first_name },
  text: 'Fact 0. …',
  reply_to_message: { message_id: 49, date: 0, chat: { id: USER.id, type: 'private', first_name: USER.first_name }, from: USER, text: question },
});

describe('More sources button', () => {
  it('sends the next snippets as a reply under the answer, which stays as it was, and moves the button there', async () => {
    const engine = fakeEngine(seven);
    const h = createHarness({ engines: fixedEngines(engine) });
    await h.callback('more:3', answerMessage('How much trade?'));
    expect(engine.questions).toEqual(['How much trade?']);
    expect(h.sent('editMessageText')).toEqual([]);
    expect(h.sent('editMessageReplyMarkup')[0]?.payload).toMatchObject({ chat_id: USER.id, message_id: 50, reply_markup: { inline_keyboard: [] } });
    const [next] = h.sent('sendMessage');
    expect(next?.payload).toMatchObject({
      chat_id: USER.id,
      parse_mode: 'HTML',
      reply_parameters: { message_id: 50 },
      reply_markup: { inline_keyboard: [[{ text: 'More sources (1 more)', callback_data: 'more:6' }]] },
    });
    const text = String(next?.payload.text);
    expect(text).toMatch(/^<b>More sources \(4–6 of 7\)<\/b>/);
    expect(text).toContain('<blockquote>Fact 3.</blockquote>');
    expect(text).not.toContain('Fact 2.');
    expect(h.sent('answerCallbackQuery')).toHaveLength(1);
  });

  it('pages on from a "More sources" reply: the question is remembered for the new message', async () => {
    const engine = fakeEngine(seven);
    const h = createHarness({ engines: fixedEngines(engine) });
    await h.callback('more:3', answerMessage('How much trade?'));
    const sentId = h.sentIds()[0];
    // The page just sent replies to the answer, not to the question: only memory knows it.
    await h.callback('more:6', { ...answerMessage('unused'), message_id: sentId, reply_to_message: undefined });
    // The answer behind the page just sent was kept: paging on asks the engine nothing.
    expect(engine.questions).toEqual(['How much trade?']);
    const last = h.sent('sendMessage').at(-1);
    expect(String(last?.payload.text)).toMatch(/^<b>More sources \(7 of 7\)<\/b>/);
    expect(last?.payload.reply_markup).toBeUndefined();
  });

  it('pages through the answer the reader saw: asked once, and the same quotes after the index was rebuilt', async () => {
    const before = fakeEngine(seven);
    const after = fakeEngine(() => answered(Array.from({ length: 7 }, (_, i) => snippet({ quote: `Rebuilt fact ${i}.` }))));
    const engines = { current: before as typeof before, reload: async () => ({ status: 'reloaded' as const, build: 'b2', previousBuild: 'b1' }) };
    const h = createHarness({ engines });
    await h.privateText('How much trade?');
    const [first] = h.sent('sendMessage');
    const pageId = h.sentIds()[0];
    expect(first?.payload.reply_markup).toMatchObject({ inline_keyboard: [[{ callback_data: 'more:3' }]] });
    engines.current = after;
    await h.callback('more:3', { ...answerMessage('How much trade?'), message_id: pageId });
    expect(before.questions).toEqual(['How much trade?']);
    expect(after.questions).toEqual([]);
    expect(String(h.sent('sendMessage').at(-1)?.payload.text)).toContain('<blockquote>Fact 3.</blockquote>');
  });

  it('says so when no further quote answers any more', async () => {
    const h = createHarness({ engines: fixedEngines(fakeEngine(seven)) });
    await h.callback('more:30', answerMessage('How much trade?'));
    expect(h.sent('sendMessage')).toEqual([]);
    expect(h.sent('answerCallbackQuery')[0]?.payload).toMatchObject({ text: 'No other quote answers this question.' });
  });

  it.each([
    { name: 'the question message is gone', data: 'more:3', message: { ...answerMessage('x'), reply_to_message: undefined } },
    { name: 'unknown data from an old version', data: 'page:2:abc', message: answerMessage('How much trade?') },
    { name: 'no message at all', data: 'more:3', message: undefined },
  ])('fails gracefully when $name', async ({ data, message }) => {
    const h = createHarness({ engines: fixedEngines(fakeEngine(seven)) });
    await h.callback(data, message);
    expect(h.sent('sendMessage')).toEqual([]);
    expect(h.sent('answerCallbackQuery')[0]?.payload).toMatchObject({ text: EXPIRED_BUTTON_TEXT });
  });
});

describe('inline mode', () => {
  it('offers the top snippets, each sending a quote with its source', async () => {
    const h = createHarness({ engines: fixedEngines(fakeEngine(seven)) });
    await h.inline('how much   trade?');
    const [call] = h.sent('answerInlineQuery');
    const results = call?.payload.results as Array<{ type: string; title: string; description: string; input_message_content: { message_text: string; parse_mode: string } }>;
    expect(results).toHaveLength(7);
    // The quote is what a user picks; the source is the line under it.
    expect(results[0]).toMatchObject({ type: 'article', title: 'Fact 0.', description: 'ThePrint (Reuters), 9 October 2025', input_message_content: { parse_mode: 'HTML' } });
    expect(results[0]?.input_message_content.message_text).toBe(
      '<blockquote>Fact 0.</blockquote>\n— <b>ThePrint (Reuters)</b>, 9 October 2025: <a href="https://example.com/a1">“Putin urges trade”</a>',
    );
  });

  it('answers an empty or uncovered query with no results and a help button', async () => {
    const engine = fakeEngine((q) => ({ question: q, answered: false, snippets: [], events: [], reason: 'not-covered' }));
    const h = createHarness({ engines: fixedEngines(engine) });
    await h.inline('');
    await h.inline('weather in Paris');
    expect(engine.questions).toEqual(['weather in Paris']);
    for (const call of h.sent('answerInlineQuery')) {
      expect(call.payload.results).toEqual([]);
      expect(call.payload.button).toMatchObject({ start_parameter: 'help' });
    }
  });
});
