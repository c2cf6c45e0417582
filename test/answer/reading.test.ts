import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerEngine, MAX_RELATED_QUOTES } from '../../src/answer/engine.js';
import type { RankingParams } from '../../src/answer/ranking-params.js';
import type { ReaderParams } from '../../src/answer/reading.js';
import { bestIndices, readerSignals } from '../../src/answer/reading.js';
import type { ReadPassage } from '../../src/embedding/reader.js';
import { isVerbatim } from '../../src/eval/metrics.js';
import { loadCorpus } from '../../src/ingest/load.js';
import { createTestEngine } from '../support/engine.js';
import { scriptedReader } from '../support/fake-reader.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

let loaded: Awaited<ReturnType<typeof createTestEngine>>;
let bodies: string[];
let bodyOf: Map<string, string>;
beforeAll(async () => {
  loaded = await createTestEngine();
  const articles = await loadCorpus({ dir: SEED_CORPUS });
  bodies = articles.map((a) => a.body);
  bodyOf = new Map(articles.map((a) => [a.id, a.body]));
}, 120_000);
afterAll(async () => {
  await loaded?.close();
});

const TRADE = /\$45|45 billion/;
/**
 * A reader part of the params in the shape `npm run train-reader` writes: the final order is the
 * reader's score alone, and it answers when its "none" probability is under a half.
 */
function readerParams(candidates = 6): ReaderParams {
  return {
    modelId: 'test/reader',
    candidates,
    ranker: { columns: ['first.score', 'reader.logit'], mean: [0, 0], scale: [1, 1], weights: [0, 1], bias: 0 },
    decision: { columns: ['reader.none'], mean: [0], scale: [1], weights: [-20], bias: 10, threshold: 0.5 },
    snippets: { maxGap: 0.5, moreGap: 0.5 },
  };
}
/** The first ranking's decision made to say "about the question" always, or never. */
const firstDecision = (about: boolean): RankingParams['decision'] => ({ columns: [], mean: [], scale: [], weights: [], bias: about ? 10 : -10, threshold: 0.5 });

function engineWith(options: { reader: ReturnType<typeof scriptedReader>; about?: boolean; candidates?: number; multilingual?: boolean }) {
  const params: RankingParams = { ...loaded.params, decision: firstDecision(options.about ?? true), reader: readerParams(options.candidates) };
  return createAnswerEngine({ store: loaded.store, embedder: loaded.embedder, params, dictionary: loaded.dictionary, reader: options.reader, multilingual: options.multilingual ?? false });
}

describe('the reader decides and orders what the first ranking found', () => {
  it('reads the best candidates in one batch, at most as many as the params say, and leads with the sentence it says answers', async () => {
    const reader = scriptedReader({ none: -5, score: (_q, text) => (TRADE.test(text) ? 5 : -5) });
    const engine = engineWith({ reader, candidates: 6 });
    const answer = await engine.answer('How much trade did Russia do with Central Asia last year?');
    expect(reader.calls).toHaveLength(1);
    expect(reader.calls[0]?.texts.length).toBeLessThanOrEqual(6);
    expect(reader.calls[0]?.texts.some((t) => TRADE.test(t))).toBe(true);
    expect(answer).toMatchObject({ answered: true, decidedBy: 'reader' });
    expect(answer.snippets[0]?.quote).toMatch(TRADE);
    for (const s of answer.snippets) expect(isVerbatim(s.quote, bodies)).toBe(true);
  });

  it("gives the reader each candidate's outlet, date and event years, from the article it comes from", async () => {
    const reader = scriptedReader({ none: -5, score: () => 0 });
    await engineWith({ reader }).answer('When did Putin arrive in Dushanbe?');
    const passages = reader.calls[0]?.passages ?? [];
    expect(passages.length).toBeGreaterThan(0);
    // A wire sentence can stand in several articles: one of those it stands in must be the one named.
    const from = (p: ReadPassage) => loaded.store.articles.filter((a) => bodyOf.get(a.source.id)?.includes(p.text)).map((a) => ({ outlet: a.source.outlet, date: a.source.date, years: a.eventYears }));
    for (const p of passages) expect(from(p), p.text).toContainEqual({ outlet: p.outlet, date: p.date, years: p.years });
  });

  it('a question no read sentence answers, but the coverage is about: not answered, with at most two closest quotes, verbatim', async () => {
    const reader = scriptedReader({ none: 5, score: () => -5 });
    const answer = await engineWith({ reader, about: true }).answer('What share of the trade was Kazakhstan’s?');
    expect(answer).toMatchObject({ answered: false, reason: 'not-covered', snippets: [], decidedBy: 'reader' });
    expect(answer.related?.length).toBeGreaterThan(0);
    expect(answer.related?.length).toBeLessThanOrEqual(MAX_RELATED_QUOTES);
    for (const s of answer.related ?? []) expect(isVerbatim(s.quote, bodies)).toBe(true);
  });

  it('a question the coverage is not about at all: not covered, no quotes', async () => {
    const reader = scriptedReader({ none: 5, score: () => -5 });
    const answer = await engineWith({ reader, about: false }).answer("What's the weather in Dushanbe tomorrow?");
    expect(answer).toMatchObject({ answered: false, reason: 'not-covered', snippets: [] });
    expect(answer.related).toBeUndefined();
  });

  it('a question in another language is judged without the reader, and the answer says so', async () => {
    const reader = scriptedReader({ none: -5, score: () => 5 });
    const answer = await engineWith({ reader, multilingual: true }).answer('Каким был товарооборот России со странами Центральной Азии?');
    expect(reader.calls).toHaveLength(0);
    expect(answer.decidedBy).toBe('similarity');
  });

  it('params fitted with one reader refuse another', () => {
    const reader = scriptedReader({ modelId: 'other/reader', score: () => 0 });
    expect(() => engineWith({ reader })).toThrow(/fitted with the reader test\/reader, but other\/reader is loaded/);
  });

  it('with no reader loaded, params that name one answer as the first ranking does', async () => {
    const params: RankingParams = { ...loaded.params, reader: readerParams() };
    const withParams = createAnswerEngine({ store: loaded.store, embedder: loaded.embedder, params, dictionary: loaded.dictionary });
    const question = 'How much trade did Russia do with Central Asia last year?';
    const { decidedBy: _by, ...answer } = await withParams.answer(question);
    expect(answer).toEqual(await loaded.engine.answer(question));
  });
});

describe('reader signals', () => {
  it.each([
    { logits: [3, -1], none: -2, best: 0, top: 3, max: 3 },
    { logits: [-4, -3], none: 2, best: 1, top: -3, max: -3 },
  ])('top, max and the "none" probability of %o', ({ logits, none, best, top, max }) => {
    const [t, m, p] = readerSignals({ read: logits.map((_, i) => i), logits, none }, best);
    expect([t, m]).toEqual([top, max]);
    const mass = [...logits, none].reduce((s, l) => s + Math.exp(l), 0);
    expect(p).toBeCloseTo(Math.exp(none) / mass, 10);
  });

  it('bestIndices keeps the first ranking\'s order, ties to the earlier candidate', () => {
    expect(bestIndices([0.1, 0.9, 0.5, 0.9], 3)).toEqual([1, 3, 2]);
  });
});
