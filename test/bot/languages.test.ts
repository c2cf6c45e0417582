import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES, loadBundles, localesDir, translator } from '../../src/render/messages.js';
import { INFO, USER, answered, createHarness, fakeEngine, fixedEngines, snippet } from '../support/bot-harness.js';

const bundles = loadBundles();
const RU = translator(bundles, 'ru');
const EN = translator(bundles, 'en');
const russian = { ...USER, language_code: 'ru' };
const seven = () => answered(Array.from({ length: 7 }, (_, i) => snippet({ quote: `Fact ${i}.` })));

/** Message keys of one Fluent file. */
function keysOf(locale: string): string[] {
  return [...readFileSync(join(localesDir(), `${locale}.ftl`), 'utf8').matchAll(/^([a-z][a-z0-9-]*)\s*=/gm)].map((m) => m[1] ?? '');
}

describe("the bot's own words follow the user's Telegram language", () => {
  it('every language has every message English has, so nobody gets a key or a silent mix', () => {
    const english = keysOf('en');
    expect(english.length).toBeGreaterThan(30);
    for (const locale of LOCALES) expect(keysOf(locale).sort(), locale).toEqual([...english].sort());
  });

  it('/start in Russian for a Russian user; with an English-only model it asks for English questions and offers English examples', async () => {
    const h = createHarness({ engines: fixedEngines(fakeEngine(seven)) });
    await h.privateText('/start', russian);
    const text = h.texts()[0] ?? '';
    expect(text).toContain('Здравствуйте, Ann!');
    expect(text).toContain(RU('help-what'));
    expect(text).not.toContain(EN('help-what'));
    expect(text).toContain(RU('help-ask-english'));
    expect(text).toContain(INFO.about.examples.en?.[0]);
  });

  it('with a multilingual model, Russian readers get Russian examples they can ask as they are', async () => {
    const about = { ...INFO.about, examples: { ...INFO.about.examples, ru: ['Кто основал BTK Group?'] } };
    const h = createHarness({ engines: fixedEngines(fakeEngine(seven, { ...INFO, about, multilingual: true })) });
    await h.privateText('/help', russian);
    const text = h.texts()[0] ?? '';
    expect(text).toContain('• Кто основал BTK Group?');
    expect(text).not.toContain(RU('help-ask-english'));
  });

  it.each([
    { name: 'German (no file)', from: { ...USER, language_code: 'de' } },
    { name: 'no language given', from: USER },
  ])('falls back to English for $name', async ({ from }) => {
    const h = createHarness({ engines: fixedEngines(fakeEngine(seven)) });
    await h.privateText('/start', from);
    expect(h.texts()[0]).toContain(EN('help-what'));
  });

  it('answers a Russian reader with the quotes verbatim, Russian dates and a Russian button', async () => {
    const h = createHarness({ engines: fixedEngines(fakeEngine(seven)) });
    await h.privateText('How much trade?', russian);
    const [reply] = h.sent('sendMessage');
    expect(String(reply?.payload.text)).toContain('<blockquote>Fact 0.</blockquote>\n— <b>ThePrint (Reuters)</b>, 9 октября 2025 г.:');
    expect(reply?.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: RU('more-button', { count: 4 }), callback_data: 'more:3' }]] });
  });

  it('tells a Russian reader of an English-only model, in Russian, which language it reads, never "not covered"', async () => {
    const engine = fakeEngine((q) => ({ question: q, answered: false, snippets: [], events: [], reason: 'language' }));
    const h = createHarness({ engines: fixedEngines(engine) });
    await h.privateText('Сколько составил товарооборот?', russian);
    const text = h.texts()[0] ?? '';
    expect(text).toContain(RU('language-unsupported'));
    expect(text).toContain('EMBEDDING_MODEL=multilingual-e5-small');
    expect(text).not.toContain(RU('not-covered'));
  });

  it('counts in Russian: "подождите 30 секунд", "1 секунду"', async () => {
    const h = createHarness({ engines: fixedEngines(fakeEngine(seven)), questionsPerMinute: 2 });
    for (const q of ['one?', 'two?', 'three?']) await h.privateText(q, russian);
    expect(h.texts()[2]).toContain('Подождите 30 секунд и');
    expect(RU('slow-down', { seconds: 1 })).toContain('1 секунду');
    expect(RU('slow-down', { seconds: 3 })).toContain('3 секунды');
  });
});
