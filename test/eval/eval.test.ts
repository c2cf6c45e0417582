import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, Snippet } from '../../src/core/types.js';
import { canonical, evidenceRank, isVerbatim, parseQuestions, scoreRun, type EvalQuestion } from '../../src/eval/metrics.js';
import { formatReport, type EvalResult } from '../../src/eval/run.js';
import { expectDevTargets, runDevEval } from '../helpers/dev-eval.js';
import { createTestEngine } from '../helpers/engine.js';
import { runScript } from '../helpers/spawn.js';

const snippet = (quote: string): Snippet => ({
  quote, score: 1, start: 0, end: 0, event: 'e', corroboratedBy: [],
  source: { id: 'a', title: 't', outlet: 'o', date: null, url: null },
});
const answer = (quotes: string[], answered = true): Answer => ({ question: 'q', answered, snippets: quotes.map(snippet), events: [] });
const q = (evidence: string[], answerable = true): EvalQuestion => ({ id: 'x', question: 'q', answerable, evidence });

describe('metrics as the question-set README defines them', () => {
  it.each([
    ['Russia’s “good result” – over', 'russia\'s "good result" - over'],
    ['  A\u00a0 B  ', 'a b'],
    ['ﬁve', 'five'],
  ])('canonical(%j)', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  it.each([
    [['noise', 'was over $45 billion'], ['over $45 billion'], 2],
    [['Over $45 Billion'], ['over $45 billion'], 1],
    [['a', 'b', 'c', 'd', 'e', 'over $45 billion'], ['over $45 billion'], 0],
  ])('evidenceRank of %j is the rank of the first quote with evidence', (quotes, evidence, rank) => {
    expect(evidenceRank(q(evidence), answer(quotes))).toBe(rank);
  });

  it('an answer that says it did not answer never counts as a hit', () => {
    expect(evidenceRank(q(['x']), answer(['x'], false))).toBe(0);
  });

  it.each([
    ['a fragment of the text', 'quick brown', true],
    ['fragments joined with …', 'The quick … the "lazy" dog', true],
    ['curly vs straight quotes are equal', '“lazy” dog', true],
    ['an invented word', 'quick red fox', false],
  ])('isVerbatim: %s', (_name, quote, expected) => {
    expect(isVerbatim(quote, ['The quick brown fox jumps over the "lazy" dog.'])).toBe(expected);
  });

  it('scoreRun computes every share', () => {
    const metrics = scoreRun({
      corpus: ['alpha beta gamma'],
      outcomes: [
        { question: q(['alpha']), answer: answer(['alpha beta']), rank: 1 },
        { question: q(['gamma']), answer: answer(['alpha', 'beta gamma']), rank: 2 },
        { question: q([], false), answer: answer([], false), rank: 0 },
        { question: q([], false), answer: answer(['made up']), rank: 0 },
      ],
    });
    expect(metrics).toMatchObject({ hitAt1: 0.5, hitAt3: 1, mrrAt5: 0.75, answered: 1, rejected: 0.5, fidelity: 0.75, longQuotes: 0 });
  });

  it('rejects a malformed question line with its number', () => {
    expect(() => parseQuestions('{"id":"a","question":"q","answerable":true,"evidence":[]}\n{"id":1}', 'f.jsonl')).toThrow('f.jsonl:2:');
  });
});

// One index and engine serve both the in-process evaluation and the CLI run below.
let loaded: Awaited<ReturnType<typeof createTestEngine>>;
beforeAll(async () => {
  loaded = await createTestEngine();
});
afterAll(async () => {
  await loaded.close();
});

describe('the engine on the development questions (generated offline model)', () => {
  let result: EvalResult;
  beforeAll(async () => {
    result = await runDevEval(loaded.engine);
  });

  it('meets the targets: hit@1 ≥ 0.85, hit@3 ≥ 0.95, all answered, rejected ≥ 0.75, fidelity 1, no quote over 400', () => {
    expectDevTargets(result.metrics);
  });

  it('the report ends with name=value pairs', () => {
    const { summary } = formatReport({ result, label: 'dev' });
    expect(summary).toMatch(/^hit@1=\d\.\d{3} hit@3=\d\.\d{3} mrr@5=\d\.\d{3} answered=\d\.\d{3} rejected=\d\.\d{3} fidelity=\d\.\d{3} long_quotes=\d+ questions=24$/);
  });
});

describe('npm run eval', () => {

  it('--compare prints dense, BM25 and hybrid side by side and a final name=value line', async () => {
    const { code, stdout } = await runScript({ script: 'scripts/eval.ts', args: ['--compare'], env: { MODELS_DIR: '.models', EMBEDDING_MODEL: 'test-tiny-bert', INDEX_DIR: loaded.indexDir } });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^== dense · test-tiny-bert/m);
    expect(stdout).toMatch(/^== bm25 · test-tiny-bert/m);
    expect(stdout).toMatch(/^== hybrid · test-tiny-bert/m);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^hit@1=[\d.]+ hit@3=/);
  });
});

describe('the report shows what the answer decision saw', () => {
  it('prints the signals under each miss, for calibrating a model', () => {
    const question = q(['alpha']);
    const outcome = { question, answer: answer([], false), rank: 0, signals: { coverage: 0.31, corpusCoverage: 0.72, dense: 0.44 } };
    const { text } = formatReport({ result: { metrics: scoreRun({ outcomes: [outcome], corpus: ['alpha'] }), outcomes: [outcome] }, label: 'x' });
    expect(text).toContain('declined an answerable question');
    expect(text).toContain('signals: coverage 0.31, corpus coverage 0.72, dense 0.44');
  });
});
