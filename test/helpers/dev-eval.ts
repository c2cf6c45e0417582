import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { AnswerEngine } from '../../src/core/types.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { parseQuestions, type EvalMetrics } from '../../src/eval/metrics.js';
import { runEval, type EvalResult } from '../../src/eval/run.js';

/** Runs the development questions against an engine over the project's corpus. */
export async function runDevEval(engine: AnswerEngine): Promise<EvalResult> {
  const questions = parseQuestions(await readFile('test/fixtures/dev-questions.jsonl', 'utf8'), 'dev');
  const corpus = (await loadCorpus({ dir: 'corpus' })).map((a) => a.body);
  return runEval({ engine, questions, corpus });
}

/** The dev-set targets every model must meet: hit@1 ≥ 0.85, hit@3 ≥ 0.95, all answered, rejected ≥ 0.75, every quote verbatim and short. */
export function expectDevTargets(m: EvalMetrics): void {
  expect(m.hitAt1).toBeGreaterThanOrEqual(0.85);
  expect(m.hitAt3).toBeGreaterThanOrEqual(0.95);
  expect(m.answered).toBe(1);
  expect(m.rejected).toBeGreaterThanOrEqual(0.75);
  expect(m.fidelity).toBe(1);
  expect(m.longQuotes).toBe(0);
}
