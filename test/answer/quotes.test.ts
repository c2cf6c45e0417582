import { describe, expect, it } from 'vitest';
import { answersKind, buildQuote, joinsNext, joinsPrevious, MAX_QUOTE_CHARS } from '../../src/answer/quotes.js';
import type { CandidateSentence } from '../../src/answer/store.js';
import { terms } from '../../src/core/text.js';
import { syntheticStore } from '../support/synthetic-store.js';

const store = syntheticStore([
  { id: 'btk', paragraphs: [["BTK Group's founder is Taimuraz Bolloev.", 'He was sanctioned by the European Union in June 2024.'], ['It is a new paragraph.']] },
  { id: 'base', paragraphs: [['The military base hosts about 7,000 troops.', 'Putin called it a guarantor of security.']] },
]);
const all = async (): Promise<CandidateSentence[]> => (await store.candidates({ vector: new Float32Array(64).fill(1), terms: ['btk', 'base'], passages: 10 })).ranked;
const find = async (start: string): Promise<CandidateSentence> => {
  const found = (await all()).find((c) => c.text.startsWith(start));
  if (!found) throw new Error(`no candidate "${start}"`);
  return found;
};

describe('buildQuote', () => {
  it('quotes the sentence alone when it stands on its own', async () => {
    const quote = buildQuote({ candidate: await find('The military base'), queryTerms: terms('troops') });
    expect(quote.text).toBe('The military base hosts about 7,000 troops.');
  });

  it('adds the sentence before when the quote opens with a back-reference', async () => {
    const candidate = await find('He was sanctioned');
    expect(joinsPrevious(candidate)).toBe(true);
    const quote = buildQuote({ candidate, queryTerms: terms('sanctioned') });
    expect(quote.text).toBe("BTK Group's founder is Taimuraz Bolloev. He was sanctioned by the European Union in June 2024.");
    expect(quote.sentences).toHaveLength(2);
  });

  it('continues into the next sentence when that one refers back ("… Bolloev. He was sanctioned …")', async () => {
    const candidate = await find("BTK Group's founder");
    expect(joinsNext(candidate)).toBe(true);
    expect(buildQuote({ candidate, queryTerms: terms('founder') }).text).toBe(
      "BTK Group's founder is Taimuraz Bolloev. He was sanctioned by the European Union in June 2024.",
    );
  });

  it('never joins across a paragraph break', async () => {
    const candidate = await find('It is a new paragraph');
    expect(joinsPrevious(candidate)).toBe(false);
    expect(buildQuote({ candidate, queryTerms: [] }).text).toBe('It is a new paragraph.');
  });

  it('does not repeat context that another snippet already quotes', async () => {
    const candidate = await find('He was sanctioned');
    const quote = buildQuote({ candidate, queryTerms: [], exclude: new Set([candidate.previous?.id ?? -1]) });
    expect(quote.text).toBe('He was sanctioned by the European Union in June 2024.');
  });

  it('joins nothing when back-references are turned off', async () => {
    const quote = buildQuote({ candidate: await find('He was sanctioned'), queryTerms: [], joinBackReferences: false });
    expect(quote.sentences).toHaveLength(1);
  });

  it(`trims a sentence over ${MAX_QUOTE_CHARS} characters to the clauses that match, marked with …`, async () => {
    const clauses = Array.from({ length: 12 }, (_, i) => `clause number ${i} about nothing in particular`);
    clauses[7] = 'the Wildberries platform looks at Dushanbe';
    const long = `${clauses.join(', ')}.`;
    const [candidate] = (await syntheticStore([{ id: 'long', paragraphs: [[long]] }]).candidates({ vector: new Float32Array(64).fill(1), terms: ['wildberries'], passages: 1 })).ranked;
    if (!candidate) throw new Error('no candidate');
    const quote = buildQuote({ candidate, queryTerms: terms('Wildberries Dushanbe') });
    expect(quote.text.length).toBeLessThanOrEqual(MAX_QUOTE_CHARS);
    expect(quote.text).toContain('the Wildberries platform looks at Dushanbe');
    for (const fragment of quote.text.split('…').map((f) => f.trim()).filter(Boolean)) expect(long).toContain(fragment);
  });
});

describe('answersKind', () => {
  it.each([
    ['The border is 1,357 kilometres long.', 'quantity', true],
    ['The border is long.', 'quantity', false],
    ['The attack was allegedly conducted by four Tajik gunmen.', 'quantity', true],
    ['Hundreds of thousands of Tajik men could lose their jobs.', 'quantity', true],
    ['It is one of the poorest states.', 'quantity', false],
    ['Someone was often there.', 'quantity', false],
    ['He was sanctioned in June 2024.', 'time', true],
    ['Putin on Thursday called on the leaders.', 'time', true],
    ['He described it as a “reliable ally”.', 'statement', true],
    ['He described it as reliable.', 'statement', false],
  ] as const)('"%s" answers a %s question: %s', (text, kind, expected) => {
    expect(answersKind(text, kind)).toBe(expected);
  });
});
