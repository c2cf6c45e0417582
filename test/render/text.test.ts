import { describe, expect, it } from 'vitest';
import { answerJson } from '../../src/cli/commands/ask.js';
import type { Answer } from '../../src/core/types.js';
import { CLOSEST_TEXT, renderAnswerText } from '../../src/render/text.js';
import { snippet, source } from '../support/bot-harness.js';

const closest: Answer = {
  question: 'What share of the trade was Kazakhstan’s?',
  answered: false,
  snippets: [],
  events: [],
  reason: 'not-covered',
  decidedBy: 'reader',
  related: [snippet({ quote: 'Trade reached $45bn last year.' }), snippet({ quote: 'Kazakhstan is the largest partner.', source: source({ id: 'a2', outlet: 'bne IntelliNews', date: null }) })],
};

describe('the closest the coverage comes, in the terminal and as JSON', () => {
  it('the terminal says plainly it is no answer, then each quote with its source line', () => {
    const text = renderAnswerText(closest);
    expect(text.split('\n')[0]).toBe(CLOSEST_TEXT);
    expect(text).toContain('1. “Trade reached $45bn last year.”\n   — ThePrint (Reuters), 2025-10-09, “Putin urges trade” <https://example.com/a1>');
    expect(text).toContain('2. “Kazakhstan is the largest partner.”\n   — bne IntelliNews, undated, October 2025 visit');
    expect(text).not.toContain('does not say.');
  });

  it('ask --json gives "answered": false with the quotes under "related", never under "snippets"', () => {
    const json = answerJson(closest);
    expect(json).toMatchObject({ answered: false, reason: 'not-covered', decidedBy: 'reader', snippets: [] });
    expect((json.related as Array<{ quote: string; source: { outlet: string } }>).map((r) => [r.quote, r.source.outlet])).toEqual([
      ['Trade reached $45bn last year.', 'ThePrint (Reuters)'],
      ['Kazakhstan is the largest partner.', 'bne IntelliNews'],
    ]);
  });

  it('a question in another language than the model reads is told so, not "does not say"', () => {
    const text = renderAnswerText({ question: 'Какой товарооборот?', answered: false, snippets: [], events: [], reason: 'language', script: 'cyrillic' });
    expect(text).toMatch(/English only/);
  });

  it('a question the coverage does not touch gets no quotes', () => {
    const json = answerJson({ question: 'weather?', answered: false, snippets: [], events: [], reason: 'not-covered' });
    expect(json).not.toHaveProperty('related');
    expect(renderAnswerText({ question: 'weather?', answered: false, snippets: [], events: [], reason: 'not-covered' })).toMatch(/^The coverage does not say\./);
  });
});
