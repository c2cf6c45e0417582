import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { answerFromInspection, type ExplainingEngine } from '../../src/answer/engine.js';
import type { RankingParams } from '../../src/answer/ranking-params.js';
import type { PassageStore } from '../../src/answer/store.js';

/** Every question set of the project, 375 questions in all. */
export const QUESTION_SETS = ['train', 'dev', 'extra', 'holdout'];

/** The questions of some sets, in file order. */
export async function questionsOf(sets: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const set of sets) {
    for (const line of (await readFile(`test/fixtures/${set}-questions.jsonl`, 'utf8')).split('\n')) {
      if (line.trim()) out.push((JSON.parse(line) as { question: string }).question);
    }
  }
  return out;
}

/**
 * The questions on which two stores disagree about anything the engine sees or says: the
 * analysed question, every candidate (vectors compared bit for bit), every feature, the
 * decision and the answer with its scores. Four questions at a time, so a database's round
 * trips overlap as a bot's would.
 */
export async function differingAnswers(options: {
  questions: readonly string[];
  params: RankingParams;
  a: { store: PassageStore; engine: ExplainingEngine };
  b: { store: PassageStore; engine: ExplainingEngine };
}): Promise<string[]> {
  const { questions, params, a, b } = options;
  const differ: string[] = [];
  for (let i = 0; i < questions.length; i += 4) {
    await Promise.all(
      questions.slice(i, i + 4).map(async (question) => {
        const [x, y] = await Promise.all([a.engine.inspect(question), b.engine.inspect(question)]);
        const answer = (inspection: typeof x, store: PassageStore) =>
          inspection ? JSON.stringify(answerFromInspection({ question, inspection, params, store, limit: 9 })) : '';
        // The sentences the cut left out are compared too, not the functions that build them.
        const seen = (inspection: typeof x) => (inspection ? { ...inspection, others: inspection.others() } : inspection);
        if (!isDeepStrictEqual(seen(x), seen(y)) || answer(x, a.store) !== answer(y, b.store)) differ.push(question);
      }),
    );
  }
  return differ;
}
