import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, Snippet } from '../../src/core/types.js';
import { canonical, evidenceRank, isVerbatim, parseQuestions, scoreRun, type EvalQuestion } from '../../src/eval/metrics.js';
import { type EvalResult } from '../../src/eval/run.js';
import { missList, summaryLine } from '../../src/eval/report.js';
import { expectDevTargets, runDevEval, TEST_MODEL_DEV_FLOORS } from '../support/dev-eval.js';
import { createTestEngine } from '../support/engine.js';
import { runCli } from '../support/cli.js';

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

  it('meets the floors of the generated model, every quote verbatim and short', () => {
    expectDevTargets(result.metrics, TEST_MODEL_DEV_FLOORS);
  });

  it('the report ends with name=value pairs', () => {
    expect(summaryLine(result.metrics)).toMatch(/^hit@1=\d\.\d{3} hit@3=\d\.\d{3} mrr@5=\d\.\d{3} answered=\d\.\d{3} rejected=\d\.\d{3} fidelity=\d\.\d{3} long_quotes=\d+ questions=24$/);
  });
});

describe('npm run eval', () => {
  it('scores the committed params on a question file: a table, every miss, a final name=value line', async () => {
    const { code, stdout } = await runCli({ args: ['eval', 'test/fixtures/dev-questions.jsonl'], env: { MODELS_DIR: '.models', EMBEDDING_MODEL: 'test-tiny-bert' } });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^== committed params of test-tiny-bert · test\/fixtures\/dev-questions.jsonl \(24 questions\)/m);
    expect(stdout).toMatch(/^run +hit@1 +hit@3 +mrr@5 +answered +rejected +fidelity/m);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^hit@1=[\d.]+ hit@3=[\d.]+ mrr@5=[\d.]+ answered=[\d.]+ rejected=[\d.]+ fidelity=1\.000 long_quotes=0 questions=24$/);
  }, 60_000);

  it('--fit with a file is refused with the usage', async () => {
    const { code, stderr } = await runCli({ args: ['eval', '--fit', 'x.jsonl'], env: { MODELS_DIR: '.models', EMBEDDING_MODEL: 'test-tiny-bert' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: --fit always fits on test\/fixtures\/train-questions.jsonl; give no file with it \(usage: npm run eval/);
  });
});

describe('npm run eval, fine-tuned model', () => {
  it('--fit is refused: the params come with the model from npm run fine-tune', async () => {
    const { code, stderr } = await runCli({ args: ['eval', '--fit', '--profile', 'all-MiniLM-L6-v2-dushanbe'], env: {} });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: all-MiniLM-L6-v2-dushanbe is fine-tuned on test\/fixtures\/train-questions.jsonl: its params are fitted with the model by npm run fine-tune/);
  });

});

describe('the report', () => {
  it('lists a miss with the answer probability the decision gave', () => {
    const outcome = { question: q(['alpha']), answer: answer([], false), rank: 0, probability: 0.31 };
    expect(missList([outcome])).toContain('MISS x declined an answerable question (p=0.31): q');
  });

  it('the summary line has every figure as name=value', () => {
    const metrics = scoreRun({ outcomes: [{ question: q(['alpha']), answer: answer(['alpha']), rank: 1 }], corpus: ['alpha'] });
    expect(summaryLine(metrics)).toBe('hit@1=1.000 hit@3=1.000 mrr@5=1.000 answered=1.000 rejected=1.000 fidelity=1.000 long_quotes=0 questions=1');
  });
});
