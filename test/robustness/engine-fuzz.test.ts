import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, Snippet } from '../../src/core/types.js';
import { loadCorpus } from '../../src/ingest/load.js';
import { createTestEngine } from '../support/engine.js';
import { FUZZ_KINDS, generateFuzzCases, type FuzzCase } from '../../tools/fuzz.js';
import { SEED_CORPUS } from '../support/seed-corpus.js';

/** 120 of each kind: thousands of inputs, a few seconds with the generated model. */
const CASES = generateFuzzCases({ count: FUZZ_KINDS.length * 120, seed: 7 });
/** Questions answered at the same time, as the bot does for several users. */
const CONCURRENCY = 4;

let env: Awaited<ReturnType<typeof createTestEngine>>;
const bodies = new Map<string, string>();
const results: Array<{ fuzz: FuzzCase; answer?: Answer; error?: unknown }> = [];

beforeAll(async () => {
  env = await createTestEngine();
  for (const article of await loadCorpus({ dir: SEED_CORPUS })) bodies.set(article.id, article.body);
  for (let i = 0; i < CASES.length; i += CONCURRENCY) {
    const batch = CASES.slice(i, i + CONCURRENCY);
    const settled = await Promise.allSettled(batch.map((fuzz) => env.engine.answer(fuzz.text)));
    settled.forEach((outcome, j) => {
      const fuzz = batch[j] as FuzzCase;
      results.push(outcome.status === 'fulfilled' ? { fuzz, answer: outcome.value } : { fuzz, error: outcome.reason });
    });
  }
}, 120_000);

afterAll(async () => {
  await env?.close();
});

/** Why a quote is not verbatim in its article, or undefined when it is. */
function quoteProblem(options: { quote: string; articleId: string; start?: number; end?: number }): string | undefined {
  const { quote, articleId, start, end } = options;
  const body = bodies.get(articleId);
  if (body === undefined) return `unknown article ${articleId}`;
  if (quote.length > 400) return `quote of ${quote.length} characters`;
  const fragments = quote
    .split('…')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (fragments.length === 0) return 'empty quote';
  const missing = fragments.find((f) => !body.includes(f));
  if (missing !== undefined) return `fragment not in ${articleId}: ${JSON.stringify(missing)}`;
  if (start !== undefined && end !== undefined) {
    const span = body.slice(start, end);
    if (!span.startsWith(fragments[0] ?? '') || !span.endsWith(fragments.at(-1) ?? '')) {
      return `offsets ${start}-${end} of ${articleId} do not hold the quote`;
    }
  }
  return undefined;
}

function snippetProblems(snippet: Snippet): string[] {
  const problems: string[] = [];
  const own = quoteProblem({ quote: snippet.quote, articleId: snippet.source.id, start: snippet.start, end: snippet.end });
  if (own) problems.push(own);
  for (const c of snippet.corroboratedBy) {
    const other = quoteProblem({ quote: c.quote, articleId: c.source.id });
    if (other) problems.push(`corroboration: ${other}`);
  }
  return problems;
}

describe('engine under fuzzed questions', () => {
  it('covers every kind of hostile input, thousands in all', () => {
    expect(results).toHaveLength(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(2000);
    expect(new Set(CASES.map((c) => c.kind))).toEqual(new Set(FUZZ_KINDS));
  });

  it('never throws', () => {
    const failures = results.filter((r) => r.error !== undefined).map((r) => `${r.fuzz.kind}: ${String(r.error)}`);
    expect(failures).toEqual([]);
  });

  it('quotes only verbatim article text of at most 400 characters', () => {
    const problems: string[] = [];
    for (const { fuzz, answer } of results) {
      for (const snippet of answer?.snippets ?? []) {
        for (const p of snippetProblems(snippet)) problems.push(`${fuzz.kind} ${JSON.stringify(fuzz.text.slice(0, 60))}: ${p}`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('returns a consistent answer shape: answered means snippets, events from those snippets', () => {
    const sources = new Set(env.engine.info.sources.map((s) => s.id));
    for (const { answer } of results) {
      if (!answer) continue;
      expect(answer.answered).toBe(answer.snippets.length > 0);
      expect(answer.snippets.length).toBeLessThanOrEqual(5);
      expect(answer.events).toEqual([...new Set(answer.snippets.map((s) => s.event))]);
      for (const s of answer.snippets) {
        expect(sources.has(s.source.id)).toBe(true);
        expect(Number.isFinite(s.score)).toBe(true);
      }
      if (!answer.answered) expect(['empty', 'not-covered', 'language']).toContain(answer.reason);
    }
  });

  it('declines wordless input (empty, blanks, punctuation, emoji, invisible or control characters) as empty', () => {
    const wordless = results.filter((r) => r.fuzz.wordless);
    expect(wordless.length).toBeGreaterThan(500);
    const answered = wordless
      .filter((r) => r.answer?.answered !== false || r.answer.reason !== 'empty')
      .map((r) => `${r.fuzz.kind}: ${JSON.stringify(r.fuzz.text)}`);
    expect(answered).toEqual([]);
  });

  it('still answers real questions wrapped in noise and markup', () => {
    const real = results.filter((r) => r.fuzz.kind === 'real' && /trade.*Central Asia/.test(r.fuzz.text));
    expect(real.length).toBeGreaterThan(0);
    for (const r of real) expect(r.answer?.answered).toBe(true);
  });

  it('answers the same question the same way every time', async () => {
    const sample = CASES.filter((_, i) => i % 97 === 0);
    for (const fuzz of sample) {
      const first = results.find((r) => r.fuzz === fuzz)?.answer;
      expect(await env.engine.answer(fuzz.text)).toEqual(first);
    }
  });
});
