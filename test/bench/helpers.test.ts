import { describe, expect, it } from 'vitest';
import { measureQueryPath } from '../../bench/query-path.js';
import { rssFigures, soakProblems, type SoakReport } from '../../bench/soak.js';
import type { AnswerEngine } from '../../src/core/types.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { latencySummary, median, medianOfSummaries, quantile, ratio } from '../../bench/stats.js';
import { makeSyntheticArticles, sentencePool, type SentencePool } from '../../bench/synthetic-corpus.js';
import { loadCorpus } from '../../src/ingest/load.js';
import { parseArticle } from '../../src/ingest/front-matter.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

describe('stats', () => {
  it.each([
    { samples: [7], q: 0.99, expected: 7 },
    { samples: [3, 1, 2], q: 0.5, expected: 2 },
    { samples: [4, 1, 3, 2], q: 0.5, expected: 2.5 },
    { samples: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], q: 0.95, expected: 10.5 },
    { samples: [10, 20], q: 0, expected: 10 },
    { samples: [10, 20], q: 1, expected: 20 },
  ])('quantile($samples, $q) = $expected', ({ samples, q, expected }) => {
    expect(quantile(samples, q)).toBeCloseTo(expected, 10);
  });

  it('has no quantile for no samples', () => {
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('median does not reorder its input', () => {
    const samples = [5, 1, 4];
    expect(median(samples)).toBe(4);
    expect(samples).toEqual([5, 1, 4]);
  });

  it('summarises a run and takes the median of each percentile over runs', () => {
    const runs = [latencySummary([1, 2, 3]), latencySummary([10, 20, 30]), latencySummary([2, 3, 4])];
    expect(runs[0]).toMatchObject({ p50: 2, n: 3 });
    expect(medianOfSummaries(runs)).toMatchObject({ p50: 3, n: 9 });
    expect(medianOfSummaries(runs).p95).toBeCloseTo(3.9, 10);
  });

  it('ratio is NaN instead of Infinity when the anchor is zero', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
  });
});

describe('synthetic corpus', () => {
  const pool = async (): Promise<SentencePool> => sentencePool(await loadCorpus({ dir: SEED_CORPUS }));

  it('the same seed gives the same files; a smaller corpus is the start of a larger one', async () => {
    const p = await pool();
    const twenty = makeSyntheticArticles({ pool: p, count: 20, seed: 7 });
    expect(makeSyntheticArticles({ pool: p, count: 20, seed: 7 })).toEqual(twenty);
    expect(makeSyntheticArticles({ pool: p, count: 5, seed: 7 })).toEqual(twenty.slice(0, 5));
    expect(makeSyntheticArticles({ pool: p, count: 5, seed: 8 })).not.toEqual(twenty.slice(0, 5));
    expect(new Set(twenty.map((f) => f.name)).size).toBe(20);
  });

  it('writes valid corpus files whose sentences all come from the real articles', async () => {
    const p = await pool();
    // A paragraph is real sentences joined by single spaces, nothing else.
    const madeOfPool = (text: string): boolean =>
      text === '' || p.sentences.some((s) => (text === s || text.startsWith(`${s} `)) && madeOfPool(text.slice(s.length + 1)));
    for (const file of makeSyntheticArticles({ pool: p, count: 6, seed: 1 })) {
      expect(file.name).toMatch(/^synthetic-\d{5}\.md$/);
      const article = parseArticle({ id: file.name.slice(0, -3), text: file.text });
      expect(article.outlet).not.toBe('');
      const paragraphs = article.body.trim().split('\n\n');
      expect(paragraphs.length).toBeGreaterThan(0);
      for (const paragraph of paragraphs) expect(madeOfPool(paragraph)).toBe(true);
    }
  });
});

describe('query path measurement', () => {
  it('warms both paths for the given rounds before measuring, and reports the first round on its own', async () => {
    const answered: string[] = [];
    const embedded: string[] = [];
    const engine = { answer: async (question: string) => (answered.push(question), { question, answered: false, snippets: [], events: [] }) } as unknown as AnswerEngine;
    const embedder = { embed: async (texts: string[]) => (embedded.push(...texts), texts.map(() => new Float32Array(4))) } as unknown as Embedder;
    const figures = await measureQueryPath({ engine, embedder, questions: ['a', 'b'], repeats: 2, warmupRounds: 3 });
    expect(answered).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(embedded).toEqual(answered);
    expect(figures.engine.n).toBe(4);
    expect(figures.firstRound?.engine.n).toBe(2);
    expect(figures.ratioP50).toBeCloseTo(figures.engine.p50 / figures.embed.p50, 9);
  });
});

describe('soak memory check', () => {
  const report = (rss: SoakReport['rss']): SoakReport => ({
    users: 200, fastUsers: 0, rateLimitPerMinute: 100, questionsSent: 100, warmupQuestions: 0, burstQuestions: 0, replies: 100, lost: 0, duplicated: 0, orphans: 0,
    invalidReplies: 0, loggedAnswered: 100, loggedRateLimited: 0, fastUsersLimited: 0, normalUsersLimited: 0, slowDownReplies: 0, durationSeconds: 40,
    questionsPerSecond: 2.5, latencyMs: { p50: 1, p90: 1, p95: 1, p99: 1, max: 1 }, rss, answersOverTimeout: 0, cpuSeconds: { bot: 1, driver: 1 }, finishedInTime: true,
  });
  /** Ten samples a quarter at these levels, in MB. */
  const samples = (levelsMb: number[]): number[] => levelsMb.flatMap((mb) => Array.from({ length: 10 }, () => mb * 1024));

  it('passes a heap that grew early and settled, though its last quarter is well above its first', () => {
    const rss = rssFigures(samples([535, 669, 604, 616]));
    expect(rss).toMatchObject({ samples: 40, quartersMb: [535, 669, 604, 616], growthPercent: 15.1, lateGrowthPercent: -7.9, peakMb: 669 });
    expect(soakProblems(report(rss), { minQuestions: 100 })).toEqual([]);
  });

  it('fails memory still growing at the end', () => {
    const rss = rssFigures(samples([500, 560, 620, 690]));
    expect(soakProblems(report(rss), { minQuestions: 100 })).toEqual(['RSS in the last quarter was 11.3% above the highest quarter before it (limit 10%), and every quarter rose over the one before (12%, 10.7%, 11.3%)']);
  });

  it('passes one late step of the heap with the quarters before it flat', () => {
    const rss = rssFigures(samples([600, 604, 602, 691]));
    expect(rss.lateGrowthPercent).toBeGreaterThan(10);
    expect(soakProblems(report(rss), { minQuestions: 100 })).toEqual([]);
  });
});
