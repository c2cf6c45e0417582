import { describe, expect, it } from 'vitest';
import { describeFact, factDescriber, quotePlace, figures, figuresDiffer, groupIntoSnippets, sameFact, type RankedQuote, type TermNumbering } from '../../src/answer/facts.js';

describe('figures and facts', () => {
  it.each([
    ['around $45bn', ['around 45 billion usd']],
    ['was over $45 billion – a good result', ['over 45 billion usd']],
    ['which reached just over 45 billion USD in 2024', ['just over 45 billion usd']],
    ['risen by more than 17%', ['more than 17 percent']],
    ['in 2021 reached US$1.13 billion', ['1.13 billion usd']],
    ['about 7,000 troops in 2022', []],
  ])('figures in "%s"', (text, expected) => {
    expect(figures(text)).toEqual(expected);
  });

  const bne = "Russia's trade turnover last year with Kazakhstan, Uzbekistan and Tajikistan amounted to around $45bn.";
  const reuters = 'Russia’s total trade turnover last year with Kazakhstan, Uzbekistan and Tajikistan was over $45 billion, Putin said.';
  const cnews = 'Putin highlighted that combined trade with these nations reached over $45 billion last year.';
  it.each([
    ['the same figure in other words', bne, reuters, true],
    ['the same figure, another outlet', reuters, cnews, true],
    ['another figure', bne, 'Trade in 2021 reached US$1.13 billion.', false],
    ['the same communique quote', 'A bland joint communique said the states noted the importance of partnership with Russia.', 'Reuters wrote that a bland joint communique said the states noted the importance of partnership with Russia.', true],
    ['unrelated sentences', 'The base hosts troops.', 'Migrants send remittances home.', false],
  ])('sameFact: %s', (_name, a, b, expected) => {
    const numbering: TermNumbering = { ids: new Map() };
    expect(sameFact(describeFact(a, numbering), describeFact(b, numbering))).toBe(expected);
    // Numbered apart (as after a describer starts a new numbering), the answer is the same.
    expect(sameFact(describeFact(a), describeFact(b))).toBe(expected);
  });

  it('compares terms exactly when two texts were numbered apart, whatever numbers they got', () => {
    const numbering: TermNumbering = { ids: new Map() };
    const a = describeFact('The base hosts Russian troops near Dushanbe.', numbering);
    const b = describeFact('Russian troops at the base near Dushanbe.', numbering);
    expect(sameFact(a, b)).toBe(true);
    // The same numbers under another numbering stand for other terms: only the words may count.
    const unrelated = describeFact('Migrants send remittances home every month.');
    expect(sameFact(a, { ...unrelated, ids: Int32Array.from(a.ids) })).toBe(false);
    expect(sameFact(a, { ...b, numbering: { ids: new Map() } })).toBe(true);
  });

  it('an engine\'s describer remembers a quote by its place and numbers all its quotes alike', () => {
    const describe = factDescriber({ keyOf: quotePlace });
    const source = { id: 'a', outlet: 'Reuters', title: 't', url: 'u', date: '2025-10-09' };
    const at = (article: number, start: number, text: string) => ({ quote: { text, start, end: start + text.length, sentences: [] }, article, outlet: 'Reuters', source, event: 'e' });
    const first = describe(at(0, 10, 'The base hosts Russian troops near Dushanbe.'));
    expect(describe(at(0, 10, 'The base hosts Russian troops near Dushanbe.'))).toBe(first);
    const other = describe(at(1, 10, 'Russian troops at the base near Dushanbe.'));
    expect(other.numbering).toBe(first.numbering);
    expect(sameFact(first, other)).toBe(true);
  });

  it.each([
    [bne, reuters, true],
    [reuters, cnews, false],
    ['The base hosts troops.', reuters, false],
  ])('figuresDiffer(%s, %s) = %s', (a, b, expected) => {
    expect(figuresDiffer(describeFact(a), describeFact(b))).toBe(expected);
  });
});

describe('groupIntoSnippets', () => {
  const quote = (options: { text: string; outlet: string; id?: string; score: number }): RankedQuote => ({
    quote: { text: options.text, start: 0, end: options.text.length, sentences: [] },
    article: 0,
    outlet: options.outlet,
    source: { id: options.id ?? options.outlet, title: 't', outlet: options.outlet, date: null, url: null },
    event: 'October 2025 visit',
    score: options.score,
    gap: 3 - options.score,
  });
  /** Within 2 of the best (score 3) on the first page, within 1 after it. */
  const maxGapAt = (position: number) => (position < 2 ? 2 : 1);
  const trade = 'Russia’s total trade turnover last year with the five states was over $45 billion, Putin said.';
  const trade2 = "Russia's trade turnover last year with the five states amounted to around $45bn.";

  it('tells quotes apart by their text when no describer is given, even at the same place', () => {
    const a = 'The base hosts Russian troops near Dushanbe today.';
    const b = 'Migrants send their remittances home every month!!';
    expect(a.length).toBe(b.length);
    const snippets = groupIntoSnippets({ quotes: [quote({ text: a, outlet: 'Reuters', score: 3 }), quote({ text: b, outlet: 'bne', score: 3 })], limit: 5, maxGapAt });
    expect(snippets.map((s) => s.quote)).toEqual([a, b]);
  });

  it('one fact from several outlets is one snippet listing the others, figures that differ marked', () => {
    const snippets = groupIntoSnippets({ quotes: [quote({ text: trade, outlet: 'Reuters', score: 3 }), quote({ text: trade2, outlet: 'bne', score: 2 })], limit: 5, maxGapAt });
    expect(snippets).toHaveLength(1);
    expect(snippets[0]?.corroboratedBy).toEqual([{ source: expect.objectContaining({ outlet: 'bne' }), quote: trade2, differs: true }]);
  });

  it('an outlet never corroborates itself, even from a second copy of its article', () => {
    const snippets = groupIntoSnippets({ quotes: [quote({ text: trade, outlet: 'Reuters', id: 'a', score: 3 }), quote({ text: trade, outlet: 'Reuters', id: 'a-copy', score: 2 })], limit: 5, maxGapAt });
    expect(snippets.flatMap((s) => s.corroboratedBy)).toEqual([]);
  });

  it('a quote outside the relevance gap is not a snippet of its own, but still corroborates', () => {
    const snippets = groupIntoSnippets({
      quotes: [
        quote({ text: trade, outlet: 'Reuters', score: 3 }),
        quote({ text: 'Migrants send remittances home.', outlet: 'NDO', score: 0.5 }),
        quote({ text: trade2, outlet: 'bne', score: 0.4 }),
      ],
      limit: 5,
      maxGapAt,
    });
    expect(snippets.map((s) => s.source.outlet)).toEqual(['Reuters']);
    expect(snippets[0]?.corroboratedBy.map((c) => c.source.outlet)).toEqual(['bne']);
  });

  it('a corroborator (a quote that was not ranked) names its outlet on the fact it reports, and never leads', () => {
    const { score: _score, gap: _gap, ...bne } = quote({ text: trade2, outlet: 'bne', score: 0 });
    const { score: _s, gap: _g, ...ndo } = quote({ text: 'Migrants send remittances home.', outlet: 'NDO', score: 0 });
    const snippets = groupIntoSnippets({ quotes: [quote({ text: trade, outlet: 'Reuters', score: 3 })], corroborators: [ndo, bne], limit: 5, maxGapAt: () => 10 });
    expect(snippets.map((s) => s.source.outlet)).toEqual(['Reuters']);
    expect(snippets[0]?.corroboratedBy.map((c) => c.source.outlet)).toEqual(['bne']);
  });

  it('honours the limit', () => {
    const quotes = ['The base hosts troops.', 'Migrants send remittances home.', 'Wildberries looks at Dushanbe.'].map((text, i) => quote({ text, outlet: `o${i}`, score: 3 - i }));
    expect(groupIntoSnippets({ quotes, limit: 2, maxGapAt: () => 10 })).toHaveLength(2);
  });

  it('allows a wider gap on the first page than after it', () => {
    const quotes = ['The base hosts troops.', 'Migrants send remittances home.', 'Wildberries looks at Dushanbe.', 'The summit ended.'].map((text, i) => quote({ text, outlet: `o${i}`, score: 3 - i * 0.6 }));
    // Gaps 0, 0.6, 1.2, 1.8: the third (1.2) is still within the first page's 2 but is the third
    // snippet, past this test's two-snippet first page, so it needs to be within 1.
    expect(groupIntoSnippets({ quotes, limit: 5, maxGapAt }).map((s) => s.quote)).toEqual(['The base hosts troops.', 'Migrants send remittances home.']);
    expect(groupIntoSnippets({ quotes, limit: 5, maxGapAt: () => 2 })).toHaveLength(4);
  });
});
