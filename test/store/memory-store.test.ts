import { describe, expect, it } from 'vitest';
import { dot, unit } from '../../src/core/vectors.js';
import { bagOfWords, syntheticStore } from '../support/synthetic-store.js';

const store = syntheticStore([
  { id: 'trade', outlet: 'bne IntelliNews', paragraphs: [['Russia trade with Central Asia reached 45 billion dollars last year.', 'Putin called it a good result.']] },
  { id: 'base', paragraphs: [['The military base hosts about 7,000 troops.', 'He called the base a guarantor of security.']] },
  { id: 'old', event: 'June 2022 visit', paragraphs: [['In 2022 the military base was discussed with Rahmon.'], ['Putin then flew to Ashgabat.']] },
]);
const candidatesOf = (text: string, passages = 10, sentences?: number) => store.candidates({ vector: unit(bagOfWords(text)), terms: text.toLowerCase().split(' '), passages, sentences });
const ask = async (text: string, passages = 10, sentences?: number) => (await candidatesOf(text, passages, sentences)).ranked;

describe('memory store', () => {
  it('describes its articles: source, event years, outlet words', () => {
    expect(store.articles.map((a) => a.eventYears)).toEqual([[2025], [2025], [2022]]);
    expect(store.articles[0]?.outletWords).toEqual(['bne', 'intellinews']);
    expect(store.info).toMatchObject({ articles: 3, chunks: 4, sentences: 6 });
  });

  it('gives the sentences of the best passages only', async () => {
    const candidates = await ask('troops base', 1);
    expect(candidates.map((c) => c.text)).toEqual(['The military base hosts about 7,000 troops.', 'He called the base a guarantor of security.']);
  });

  it('cut to one sentence per score, keeps the best by cosine, by cosine with the sentence before and by BM25, unchanged and in order', async () => {
    const question = 'military base troops 2022';
    const all = await ask(question);
    const cut = await ask(question, 10, 1);
    const q = unit(bagOfWords(question));
    const bestBy = (score: (c: (typeof all)[number]) => number): number | undefined => [...all].sort((a, b) => score(b) - score(a) || a.id - b.id)[0]?.id;
    // The synthetic store embeds a sentence alone, and after the sentence before it in its article.
    const before = (c: (typeof all)[number]): string => all.find((a) => a.id === c.id - 1 && a.article === c.article)?.text ?? '';
    const cosine = (text: string): number => dot(q, unit(bagOfWords(text)));
    const expected = new Set([bestBy((c) => cosine(c.text)), bestBy((c) => cosine(`${before(c)} ${c.text}`)), bestBy((c) => c.lexical)]);
    expect(cut.map((c) => c.id)).toEqual([...expected].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(cut.length).toBeLessThan(all.length);
    for (const c of cut) expect(c).toEqual(all.find((a) => a.id === c.id));
  });

  it('builds the sentences a cut left out when asked, each once, so they can corroborate', async () => {
    const question = 'military base troops 2022';
    const all = await ask(question);
    const { ranked, others } = await candidatesOf(question, 10, 1);
    expect(others().map((c) => c.id)).toEqual(all.filter((a) => !ranked.some((r) => r.id === a.id)).map((a) => a.id));
    for (const c of others()) expect(all.find((a) => a.id === c.id)).toMatchObject(c);
    expect(others()).toBe(others());
    expect((await candidatesOf(question)).others()).toEqual([]);
  });

  it('a sentence cut wider than the passages hold changes nothing', async () => {
    expect(await ask('military base troops 2022', 10, 100)).toEqual(await ask('military base troops 2022'));
  });

  it('links neighbours within a paragraph with the exact text between them', async () => {
    const candidates = await ask('base troops guarantor');
    const second = candidates.find((c) => c.text.startsWith('He called'));
    expect(second?.previous).toMatchObject({ text: 'The military base hosts about 7,000 troops.', gap: ' ' });
    const first = candidates.find((c) => c.text.startsWith('The military base'));
    expect(first?.next?.text).toBe('He called the base a guarantor of security.');
    expect(first?.position).toBe(0);
    expect(second?.position).toBe(1);
  });

  it('knows no gap across a paragraph break (a quote never joins there)', async () => {
    const flew = (await ask('putin flew ashgabat 2022 base')).find((c) => c.text.startsWith('Putin then flew'));
    expect(flew?.previous).toBeUndefined();
    expect(flew?.previousTerms.size).toBeGreaterThan(0);
  });

  it("carries a sentence's cosines with the question, the vectors the features still need and its passage scores", async () => {
    const [best] = (await ask('trade central asia')).sort((a, b) => b.passageDense - a.passageDense);
    const q = unit(bagOfWords('trade central asia'));
    const cosine = (text: string): number => dot(q, unit(bagOfWords(text)));
    const next = best?.next?.text ?? '';
    expect(best?.cosines).toEqual({ sentence: cosine(best?.text ?? ''), context: cosine(` ${best?.text}`), next: cosine(next), nextContext: cosine(`${best?.text} ${next}`) });
    expect(next).not.toBe('');
    expect(best?.vectors.titled.length).toBe(64);
    expect(best?.passageLexical).toBe(1);
    expect(best?.lexical).toBeGreaterThan(0);
  });

  it('knows term statistics', async () => {
    const facts = await store.describe(['troops', 'zzz']);
    expect(facts.idf('troop')).toBeGreaterThan(0);
    expect(facts.idf('zzz')).toBe(0);
    expect(facts.maxIdf).toBeGreaterThanOrEqual(facts.idf('troop'));
  });

  it('spells: which words the corpus has, and the nearest corpus spelling of the others', async () => {
    const spelling = await store.spell(['ashgabat', 'ashgabad', 'weather']);
    expect([...spelling.known]).toEqual(['ashgabat']);
    expect(spelling.nearest.get('ashgabad')).toBe('ashgabat');
    expect(spelling.nearest.has('weather')).toBe(false);
  });
});
