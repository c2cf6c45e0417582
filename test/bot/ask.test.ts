import { describe, expect, it, vi } from 'vitest';
import { TYPING_DELAY_MS } from '../../src/bot/answering.js';
import { createHarness, answered, fakeEngine, fixedEngines, snippet, source, tagsBalanced, USER } from '../support/bot-harness.js';

const fourSnippets = () =>
  answered([
    snippet(),
    snippet({ quote: 'Second fact.', source: source({ id: 'b', outlet: 'bne IntelliNews', url: null }) }),
    snippet({ quote: 'Third fact.' }),
    snippet({ quote: 'Fourth fact.' }),
  ]);

describe('private questions', () => {
  it('answers any text with quotes as blockquotes, their sources, and a More sources button', async () => {
    const engine = fakeEngine(fourSnippets);
    const h = createHarness({ engines: fixedEngines(engine) });
    const asked = await h.privateText('How much trade?');
    expect(engine.questions).toEqual(['How much trade?']);
    const [reply] = h.sent();
    expect(reply?.payload).toMatchObject({
      chat_id: 1001,
      parse_mode: 'HTML',
      reply_parameters: { message_id: asked.message_id },
      reply_markup: { inline_keyboard: [[{ text: 'More sources (1 more)', callback_data: 'more:3' }]] },
    });
    const text = String(reply?.payload.text);
    expect(text).toContain('<blockquote>Trade reached $45bn last year.</blockquote>\n— <b>ThePrint (Reuters)</b>, 9 October 2025');
    expect(text).toContain('— <b>bne IntelliNews</b>');
    expect(text).not.toContain('Fourth fact.');
  });

  it('shows the typing indicator before an answer that takes a while', async () => {
    const slow = fakeEngine(() => answered([snippet()]));
    const engine = { ...slow, answer: async (q: string) => (await new Promise((r) => setTimeout(r, TYPING_DELAY_MS + 200)), slow.answer(q)) };
    const h = createHarness({ engines: fixedEngines(engine) });
    vi.useFakeTimers();
    try {
      const asked = h.privateText('trade?');
      await vi.advanceTimersByTimeAsync(TYPING_DELAY_MS + 200);
      await asked;
    } finally {
      vi.useRealTimers();
    }
    expect(h.calls.map((c) => c.method)).toEqual(['sendChatAction', 'sendMessage']);
    expect(h.calls[0]?.payload).toMatchObject({ action: 'typing' });
  });

  it('sends a quick answer without a typing indicator', async () => {
    const h = createHarness({ engines: fixedEngines(fakeEngine(() => answered([snippet()]))) });
    await h.privateText('trade?');
    expect(h.calls.map((c) => c.method)).toEqual(['sendMessage']);
  });

  it('escapes user and article text: a question containing <b> and &', async () => {
    // The fake engine quotes the question back, as an article quoting markup would.
    const engine = fakeEngine((q) => answered([snippet({ quote: `Quoted: ${q}`, source: source({ title: 'A <i>title</i> & co' }) })]));
    const h = createHarness({ engines: fixedEngines(engine) });
    await h.privateText('Is <b>trade</b> & tariffs up?');
    expect(engine.questions).toEqual(['Is <b>trade</b> & tariffs up?']);
    const text = h.texts()[0] ?? '';
    expect(text).toContain('<blockquote>Quoted: Is &lt;b&gt;trade&lt;/b&gt; &amp; tariffs up?</blockquote>');
    expect(text).toContain('“A &lt;i&gt;title&lt;/i&gt; &amp; co”');
    expect(tagsBalanced(text)).toBe(true);
  });

  it('replies with a friendly note when the coverage does not say', async () => {
    const h = createHarness({ engines: fixedEngines(fakeEngine((q) => ({ question: q, answered: false, snippets: [], events: [], reason: 'not-covered' }))) });
    await h.privateText('What is the weather in Paris?');
    const text = h.texts()[0] ?? '';
    expect(text).toContain('don’t cover that');
    expect(text).toContain('(October 2025 visit; June 2022 visit)');
    expect(text).toContain('Try, for example');
  });

  it.each([
    ['en', undefined, 'The coverage doesn’t say exactly that. The closest it comes:'],
    ['ru', 'ru', 'В статьях нет точного ответа на этот вопрос. Ближе всего к нему:'],
  ])('when the coverage is about a question but does not answer it, says so first (%s) and shows the closest quotes with their sources, no "More sources"', async (_locale, language, lead) => {
    const related = [snippet({ quote: 'Trade with Belarus is larger.' }), snippet({ quote: 'Millions of migrants work in Russia.', source: source({ id: 'a2', outlet: 'bne IntelliNews' }) })];
    const h = createHarness({ engines: fixedEngines(fakeEngine((q) => ({ question: q, answered: false, snippets: [], events: [], reason: 'not-covered', related }))) });
    await h.privateText('What share of the trade was Kazakhstan’s?', language ? { ...USER, language_code: language } : USER);
    const text = h.texts()[0] ?? '';
    expect(text.startsWith(lead)).toBe(true);
    expect(text).toContain('<blockquote>Trade with Belarus is larger.</blockquote>');
    expect(text).toContain('<blockquote>Millions of migrants work in Russia.</blockquote>');
    expect(text).toContain('bne IntelliNews');
    expect(text).not.toContain('don’t cover that');
    expect(tagsBalanced(text)).toBe(true);
    expect(h.calls.find((c) => c.method === 'sendMessage')?.payload.reply_markup).toBeUndefined();
  });

  it('refuses a question over the length limit without asking the engine', async () => {
    const engine = fakeEngine(fourSnippets);
    const h = createHarness({ engines: fixedEngines(engine), maxQuestionChars: 50 });
    await h.privateText('x'.repeat(51));
    expect(engine.questions).toEqual([]);
    expect(h.texts()).toEqual(['Your question is 51 characters long; please keep it under 50 characters and ask again.']);
  });

  it('keeps every reply under 4096 characters and never cuts inside a tag', async () => {
    const long = 'Trade & <security> “talks” '.repeat(20).slice(0, 400);
    const differs = Array.from({ length: 8 }, (_, i) => ({ source: source({ id: `d${i}`, outlet: `Outlet ${i}` }), quote: long, differs: true }));
    const h = createHarness({ engines: fixedEngines(fakeEngine(() => answered(Array.from({ length: 9 }, () => snippet({ quote: long, corroboratedBy: differs }))))) });
    await h.privateText('trade?');
    for (const text of h.texts()) {
      expect(text.length).toBeLessThan(4096);
      expect(tagsBalanced(text)).toBe(true);
    }
  });

  it('rate-limits per user: one polite slow-down reply, then silence, then answers again', async () => {
    let clock = 0;
    const engine = fakeEngine(() => answered([snippet()]));
    const h = createHarness({ engines: fixedEngines(engine), questionsPerMinute: 2, now: () => clock });
    await h.privateText('one');
    await h.privateText('two');
    await h.privateText('three');
    await h.privateText('four');
    expect(engine.questions).toEqual(['one', 'two']);
    const texts = h.texts();
    expect(texts).toHaveLength(3);
    expect(texts[2]).toBe('You are asking faster than I can keep up. Please wait 30 seconds and ask again.');
    // Another user is not affected.
    await h.privateText('other user', { id: 2002, is_bot: false, first_name: 'Bo' });
    expect(engine.questions).toEqual(['one', 'two', 'other user']);
    clock += 30_000;
    await h.privateText('five');
    expect(engine.questions).toContain('five');
  });

  it('answers a failing engine with a polite failure reply', async () => {
    const h = createHarness({
      engines: fixedEngines(
        fakeEngine(() => {
          throw new Error('boom');
        }),
      ),
    });
    const asked = await h.privateText('trade?');
    const reply = h.sent().at(-1);
    expect(reply?.payload).toMatchObject({ text: 'Sorry, something went wrong while answering. Please try again in a moment.', reply_parameters: { message_id: asked.message_id } });
  });

  it('hints at text for stickers, photos and voice in private chats', async () => {
    const engine = fakeEngine(fourSnippets);
    const h = createHarness({ engines: fixedEngines(engine) });
    await h.privateMessage({ sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } });
    await h.privateMessage({ voice: { file_id: 'v', file_unique_id: 'v', duration: 1 } });
    expect(engine.questions).toEqual([]);
    expect(h.texts()).toHaveLength(2);
    expect(h.texts()[0]).toMatch(/^I can only read text\./);
  });

  it('answers an unknown command with a pointer to /help', async () => {
    const engine = fakeEngine(fourSnippets);
    const h = createHarness({ engines: fixedEngines(engine) });
    await h.privateText('/weather');
    expect(engine.questions).toEqual([]);
    expect(h.texts()[0]).toContain('/help');
  });
});
