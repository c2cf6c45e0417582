import type { Answer, AnswerEngine } from '../core/types.js';
import { evidenceRank, scoreRun, type EvalMetrics, type EvalOutcome, type EvalQuestion } from './metrics.js';

export interface EvalResult {
  metrics: EvalMetrics;
  outcomes: EvalOutcome[];
}

/** An engine that can also say what its answer decision saw. */
type ExplainingEngine = AnswerEngine & { explain?: (question: string) => Promise<{ answer: Answer; trace: { probability: number } | undefined }> };

/** Asks every question and scores the answers. */
export async function runEval(options: { engine: ExplainingEngine; questions: EvalQuestion[]; corpus: string[] }): Promise<EvalResult> {
  const { engine, questions, corpus } = options;
  const outcomes: EvalOutcome[] = [];
  for (const question of questions) {
    const { answer, trace } = engine.explain ? await engine.explain(question.question) : { answer: await engine.answer(question.question), trace: undefined };
    outcomes.push({ question, answer, rank: evidenceRank(question, answer), ...(trace ? { probability: trace.probability } : {}) });
  }
  return { metrics: scoreRun({ outcomes, corpus }), outcomes };
}
