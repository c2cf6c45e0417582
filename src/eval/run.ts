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

/** Human report (metrics, then every miss) and the final `name=value` line. */
export function formatReport(options: { result: EvalResult; label: string; verbose?: boolean }): { text: string; summary: string } {
  const { result, label, verbose = false } = options;
  const m = result.metrics;
  const f = (x: number): string => x.toFixed(3);
  const lines = [
    `== ${label} (${m.questions} questions)`,
    `hit@1 ${f(m.hitAt1)}   hit@3 ${f(m.hitAt3)}   mrr@5 ${f(m.mrrAt5)}   answered ${f(m.answered)}   rejected ${f(m.rejected)}   fidelity ${f(m.fidelity)}   quotes>400 ${m.longQuotes}`,
  ];
  for (const o of result.outcomes) {
    const { question: q, answer, rank } = o;
    const miss = q.answerable ? rank !== 1 : answer.answered;
    if (!miss && !verbose) continue;
    const what = !q.answerable
      ? 'answered an unanswerable question'
      : !answer.answered
        ? 'declined an answerable question'
        : rank === 0
          ? 'no evidence in the top 5'
          : `evidence first at rank ${rank}`;
    lines.push(`${miss ? 'MISS' : 'ok  '} ${q.id} [${q.kind ?? (q.answerable ? 'answerable' : 'unanswerable')}] ${what}: ${q.question}`);
    const top = answer.snippets[0];
    if (top) lines.push(`       top: ${top.source.outlet}: “${top.quote.slice(0, 160)}${top.quote.length > 160 ? '…' : ''}”`);
    if (o.probability !== undefined) lines.push(`       answer probability ${o.probability.toFixed(2)}`);
  }
  const summary = [
    `hit@1=${f(m.hitAt1)}`,
    `hit@3=${f(m.hitAt3)}`,
    `mrr@5=${f(m.mrrAt5)}`,
    `answered=${f(m.answered)}`,
    `rejected=${f(m.rejected)}`,
    `fidelity=${f(m.fidelity)}`,
    `long_quotes=${m.longQuotes}`,
    `questions=${m.questions}`,
  ].join(' ');
  return { text: lines.join('\n'), summary };
}
