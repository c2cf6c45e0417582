import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonical } from '../../src/eval/metrics.js';
import { cleanArticle } from '../../src/ingest/clean.js';
import { loadCorpus, type LoadedArticle } from '../../src/ingest/load.js';
import { loadReaderQuestions, type ReaderQuestion } from '../../tools/reader/questions.js';

/** The five articles the data was written for (a fixture copy: the live corpus is the admin's). */
const SEED_CORPUS = 'test/fixtures/corpus';
const DATA = 'tools/reader/data';

let questions: ReaderQuestion[];
let seeds: LoadedArticle[];
let practice: LoadedArticle[];
beforeAll(async () => {
  questions = await loadReaderQuestions({ corpusDir: SEED_CORPUS });
  seeds = await loadCorpus({ dir: SEED_CORPUS });
  practice = await loadCorpus({ dir: join(DATA, 'articles') });
});

describe("the reader's training data, as a reviewer would check it", () => {
  it('is at least 2,000 question-evidence pairs, at least 500 of them unanswerable, on at least 10 practice articles of other topics', () => {
    expect(questions.length).toBeGreaterThanOrEqual(2000);
    expect(questions.filter((q) => !q.question.answerable).length).toBeGreaterThanOrEqual(500);
    expect(practice.length).toBeGreaterThanOrEqual(10);
    for (const article of practice) {
      const about = questions.filter((q) => q.story === article.id);
      expect(about.filter((q) => q.question.answerable).length, article.id).toBeGreaterThanOrEqual(30);
      expect(about.filter((q) => q.tags.includes('trap')).length, article.id).toBeGreaterThanOrEqual(10);
    }
  });

  /** The articles that may hold a question's evidence: any of the five for the five; a practice article or another outlet's version of its story (same event). */
  const versions = (article: string): LoadedArticle[] => {
    if (seeds.some((a) => a.id === article)) return seeds;
    const event = practice.find((a) => a.id === article)?.event;
    return practice.filter((a) => a.id === article || (event !== undefined && a.event === event));
  };

  it('every evidence string is verbatim in the article the question is about (any of the five for the five, either version of a practice story told twice)', async () => {
    const bad: string[] = [];
    const lines = await dataLines();
    for (const { where, line } of lines) {
      const { article, evidence } = JSON.parse(line) as { article: string; evidence: string[] };
      const pool = versions(article);
      if (pool.length === 0) bad.push(`${where}: unknown article ${article}`);
      for (const e of evidence) if (!pool.some((a) => canonical(a.body).includes(canonical(e)))) bad.push(`${where}: ${e}`);
    }
    expect(bad).toEqual([]);
  });

  it('every evidence string lies in text the build keeps (a quote can hold it): not in a dropped credit, dateline or page line', async () => {
    const kept = new Map([...seeds, ...practice].map((a) => [a.id, cleanArticle({ body: a.body, title: a.title }).blocks.map((b) => canonical(b.text))]));
    const bad: string[] = [];
    for (const { where, line } of await dataLines()) {
      const { article, evidence } = JSON.parse(line) as { article: string; evidence: string[] };
      const pool = versions(article).map((a) => a.id);
      for (const e of evidence) if (!pool.some((id) => kept.get(id)?.some((block) => block.includes(canonical(e))))) bad.push(`${where}: ${e}`);
    }
    expect(bad).toEqual([]);
  });

  it('no question is asked twice, here or in the original training questions, and ids are unique', () => {
    const seen = new Map<string, string>();
    const repeats: string[] = [];
    for (const q of questions) {
      const key = canonical(q.question.question);
      const before = seen.get(key);
      if (before) repeats.push(`${q.question.id} repeats ${before}`);
      seen.set(key, q.question.id);
    }
    expect(repeats).toEqual([]);
    expect(new Set(questions.map((q) => q.question.id)).size).toBe(questions.length);
  });

  it('answerable questions have evidence, unanswerable ones none', () => {
    expect(questions.filter((q) => q.question.answerable === (q.question.evidence.length === 0)).map((q) => q.question.id)).toEqual([]);
  });

  it('no practice article is in the corpus the bot serves', async () => {
    const served = (await readdir('corpus')).map((n) => n.replace(/\.md$/, ''));
    expect(practice.filter((a) => served.includes(a.id))).toEqual([]);
  });
});

async function dataLines(): Promise<Array<{ where: string; line: string }>> {
  const dir = join(DATA, 'questions');
  const out: Array<{ where: string; line: string }> = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    const text = await readFile(join(dir, name), 'utf8');
    text.split('\n').forEach((line, i) => {
      if (line.trim() !== '') out.push({ where: `${name}:${i + 1}`, line });
    });
  }
  return out;
}
