import { describe, expect, it } from 'vitest';
import { attachOutOfFold, candidateKey, type OutOfFoldFile, type ReaderRun } from '../../tools/reader/pipeline.js';

/** Two questions as a reader run holds them: what each reads now, best first. */
function runOf(lists: Array<{ id: string; read: number[]; texts: string[] }>): ReaderRun {
  return {
    examples: lists.map((l) => ({ question: { id: l.id }, inspection: {} })),
    lists: lists.map((l) => ({ id: l.id, read: l.read, candidates: l.texts.map((text) => ({ text, positive: false })) })),
  } as unknown as ReaderRun;
}
const readingOf = (run: ReaderRun, i: number) => (run.examples[i]?.inspection as { reading?: unknown } | undefined)?.reading;

describe("the readers' recorded scores find their sentences by text", () => {
  it('a score goes to the sentence it was given for, whatever order the ranking reads them in now', () => {
    const run = runOf([{ id: 'q1', read: [7, 2], texts: ['Trade reached $45bn.', 'Putin arrived on Wednesday.'] }]);
    const scores: OutOfFoldFile['scores'] = { q1: { logits: [3, -1], none: 0.5, keys: [candidateKey('Putin arrived on Wednesday.'), candidateKey('Trade reached $45bn.')] } };
    attachOutOfFold(run, { scores });
    expect(readingOf(run, 0)).toEqual({ read: [7, 2], logits: [-1, 3], none: 0.5 });
  });

  it('a question that now reads a sentence no reader scored (its text changed since) is left unread, never given another score', () => {
    const run = runOf([
      { id: 'q1', read: [0, 1], texts: ['Russian President Vladimir Putin called for trade.', 'Trade reached $45bn.'] },
      { id: 'q2', read: [4], texts: ['Trade reached $45bn.'] },
    ]);
    const scores: OutOfFoldFile['scores'] = {
      q1: { logits: [2, 1], none: 0, keys: [candidateKey('Tajikistan: Russian President Vladimir Putin called for trade.'), candidateKey('Trade reached $45bn.')] },
    };
    attachOutOfFold(run, { scores });
    expect(readingOf(run, 0)).toBeUndefined();
    // No scores at all for the second question: unread too.
    expect(readingOf(run, 1)).toBeUndefined();
  });
});
