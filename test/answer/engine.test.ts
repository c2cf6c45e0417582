import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAnswerEngine } from '../../src/answer/engine.js';
import type { AnswerEngine, Snippet } from '../../src/core/types.js';
import { loadCorpus, type LoadedArticle } from '../../src/ingest/load.js';
import { isVerbatim, parseQuestions } from '../../src/eval/metrics.js';
import { createTestEngine } from '../support/engine.js';
import { loadEngine } from '../../src/app/serving/load-engine.js';
import { buildPgIndex } from '../../src/indexer/pg-build.js';
import { createTestDatabase, hasDatabase } from '../support/pg.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

// The same tests on both stores: the vectra files in memory, and PostgreSQL when the run has one.
if (!hasDatabase()) console.warn(`NOTICE: the engine tests run on the file store only: no PostgreSQL server (${inject('databaseUnavailable')})`);
const STORES = hasDatabase() ? ['files', 'postgres'] : ['files'];

describe.each(STORES)('from the %s store', (kind) => {
let engine: AnswerEngine;
/** The same store and params, but every sentence of the passages ranked (no cut). */
let uncut: AnswerEngine;
let articles: LoadedArticle[];
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  // Answers as users get them: the real model shipped in models/.
  const loaded = await createTestEngine({ model: 'bundled' });
  closers.push(loaded.close);
  engine = loaded.engine;
  uncut = createAnswerEngine({ store: loaded.store, embedder: loaded.embedder, params: { ...loaded.params, sentences: undefined }, dictionary: loaded.dictionary });
  if (kind === 'postgres') {
    const database = await createTestDatabase();
    closers.unshift(database.drop);
    await buildPgIndex({ url: database.url, corpusDir: SEED_CORPUS, embedder: loaded.embedder });
    const fromDb = await loadEngine({ indexDir: loaded.indexDir, databaseUrl: database.url, embedder: loaded.embedder });
    closers.unshift(fromDb.close);
    engine = fromDb.engine;
  }
  articles = await loadCorpus({ dir: SEED_CORPUS });
}, 120_000);
afterAll(async () => {
  for (const close of closers) await close();
});

const bodyOf = (id: string): string => articles.find((a) => a.id === id)?.body ?? '';

describe('answers with verbatim, attributed quotes', () => {
  it.each([
    'How much was Russia’s trade with the five Central Asian states last year?',
    'Who founded BTK Group?',
    'How many Russian troops are stationed in Tajikistan?',
    'what did the joint communique say',
  ])('%s', async (question) => {
    const answer = await engine.answer(question);
    expect(answer.answered).toBe(true);
    expect(answer.snippets.length).toBeGreaterThan(0);
    for (const snippet of answer.snippets) {
      expect(snippet.quote.length).toBeLessThanOrEqual(400);
      expect(isVerbatim(snippet.quote, [bodyOf(snippet.source.id)])).toBe(true);
      const article = articles.find((a) => a.id === snippet.source.id);
      expect(snippet.source).toEqual({ id: article?.id, title: article?.title, outlet: article?.outlet, date: article?.date, url: article?.url });
      for (const c of snippet.corroboratedBy) expect(isVerbatim(c.quote, [bodyOf(c.source.id)])).toBe(true);
    }
    const scores = answer.snippets.map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('quotes only the sentence that answers, not the whole passage', async () => {
    const answer = await engine.answer('Who founded BTK Group?');
    expect(answer.snippets[0]?.quote).toContain('founder is Taimuraz Bolloev');
    expect(answer.snippets[0]?.quote.length).toBeLessThan(250);
  });
});

describe('one fact, every outlet', () => {
  it('the candidate cut loses no outlet: a fact the answer quotes names every outlet that reports it, as when every sentence is ranked', async () => {
    const questions = parseQuestions(await readFile('test/fixtures/train-questions.jsonl', 'utf8'), 'train').map((q) => q.question);
    const outletsOf = (s: Snippet | undefined): string[] => (s ? [s.source.outlet, ...s.corroboratedBy.map((c) => c.source.outlet)].sort() : []);
    let compared = 0;
    let corroborated = 0;
    for (const question of questions) {
      const [cut, every] = [await engine.answer(question), await uncut.answer(question)];
      const first = cut.snippets[0];
      if (!first || first.quote !== every.snippets[0]?.quote) continue;
      compared++;
      if (first.corroboratedBy.length > 0) corroborated++;
      expect(outletsOf(first), question).toEqual(outletsOf(every.snippets[0]));
    }
    expect(compared).toBeGreaterThan(questions.length / 2);
    expect(corroborated).toBeGreaterThan(20);
  }, 120_000);

  it('groups the $45bn figure into one snippet naming the other outlets, and shows where figures differ', async () => {
    const answer = await engine.answer('How much was Russia’s trade with the five Central Asian states last year?');
    const fact = answer.snippets.find((s) => /45/.test(s.quote));
    expect(fact).toBeDefined();
    const outlets = [fact?.source.outlet, ...(fact?.corroboratedBy.map((c) => c.source.outlet) ?? [])];
    expect(new Set(outlets).size).toBe(outlets.length);
    expect(outlets.length).toBeGreaterThanOrEqual(3);
    // Only one snippet carries the figure: the others are different facts.
    expect(answer.snippets.filter((s) => /\$?45 ?(bn|billion)/i.test(s.quote))).toHaveLength(1);
    // "around $45bn" and "over $45 billion" are not silently merged.
    const wordings = [fact?.quote ?? '', ...(fact?.corroboratedBy.filter((c) => c.differs).map((c) => c.quote) ?? [])].join(' | ');
    expect(wordings).toMatch(/around \$45bn/);
    expect(wordings).toMatch(/over \$45 billion/);
  });
});

describe('time awareness', () => {
  it.each([
    ['Where did Putin go after Tajikistan in 2022?', 'June 2022 visit'],
    ['What did Putin say about trade in 2025?', 'October 2025 visit'],
  ])('"%s" quotes the article about that year\'s visit first', async (question, event) => {
    const answer = await engine.answer(question);
    expect(answer.snippets[0]?.event).toBe(event);
  });

  it('every snippet carries its event, and mixed events are listed', async () => {
    const answer = await engine.answer('What did Putin say about the Russian military base?');
    expect(answer.answered).toBe(true);
    for (const s of answer.snippets) expect(s.event).toMatch(/^(June 2022|October 2025) visit$/);
    expect(answer.events).toEqual([...new Set(answer.snippets.map((s) => s.event))]);
  });
});

describe('honest "not covered"', () => {
  it.each([
    'What is the capital of France?',
    'What is the weather in Dushanbe today?',
    'Who won the Nobel Peace Prize?',
    'How do I bake sourdough bread?',
  ])('%s', async (question) => {
    const answer = await engine.answer(question);
    expect(answer).toMatchObject({ answered: false, snippets: [], reason: 'not-covered' });
  });

  it.each(['', '   ', '?!…', '🙂🙂'])('input without words (%j) is declined as empty', async (question) => {
    const answer = await engine.answer(question);
    expect(answer).toMatchObject({ answered: false, snippets: [], reason: 'empty' });
  });
});

it('honours the snippet limit', async () => {
  const answer = await engine.answer('What did Putin say about trade?', { limit: 2 });
  expect(answer.snippets.length).toBeLessThanOrEqual(2);
});
});
