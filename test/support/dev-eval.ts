import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { AnswerEngine } from '../../src/core/types.js';
import { loadCorpus } from '../../src/ingest/load.js';
import { parseQuestions, type EvalMetrics } from '../../src/eval/metrics.js';
import { runEval, type EvalResult } from '../../src/eval/run.js';

/** Runs the development questions (or their Russian rendering) against an engine over the project's corpus. */
export async function runDevEval(engine: AnswerEngine, file = 'test/fixtures/dev-questions.jsonl'): Promise<EvalResult> {
  const questions = parseQuestions(await readFile(file, 'utf8'), file);
  const corpus = (await loadCorpus({ dir: 'test/fixtures/corpus' })).map((a) => a.body);
  return runEval({ engine, questions, corpus });
}

/** Lowest acceptable dev-set figures for a model. */
export interface DevFloors {
  hitAt1: number;
  hitAt3: number;
  answered: number;
  rejected: number;
}

/**
 * Floors a few points under what the generated bag-of-words model measures on the dev set
 * with its fitted params (hit@1 0.95, hit@3 1, answered 1, rejected 1).
 */
export const TEST_MODEL_DEV_FLOORS: Readonly<DevFloors> = Object.freeze({ hitAt1: 0.85, hitAt3: 0.9, answered: 0.9, rejected: 0.75 });

/** The dev-set floors, and for every model: every quote verbatim, none over 400 characters. */
export function expectDevTargets(m: EvalMetrics, floors: DevFloors): void {
  expect(m.hitAt1).toBeGreaterThanOrEqual(floors.hitAt1);
  expect(m.hitAt3).toBeGreaterThanOrEqual(floors.hitAt3);
  expect(m.answered).toBeGreaterThanOrEqual(floors.answered);
  expect(m.rejected).toBeGreaterThanOrEqual(floors.rejected);
  expect(m.fidelity).toBe(1);
  expect(m.longQuotes).toBe(0);
}
