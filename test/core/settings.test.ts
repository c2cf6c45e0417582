import { describe, expect, it } from 'vitest';
import { checkSettings, CONVERSATION, DISPLAY, INGEST, QUOTING, RETRIEVAL, type Settings } from '../../src/core/settings.js';

const defaults: Settings = { retrieval: RETRIEVAL, quoting: QUOTING, conversation: CONVERSATION, display: DISPLAY, ingest: INGEST };

describe('the behavioural settings', () => {
  it('make sense together as shipped', () => {
    expect(checkSettings()).toEqual([]);
  });

  it.each([
    ['a BM25 length normalisation above 1', { ...defaults, retrieval: { ...RETRIEVAL, bm25: { k1: 1.2, b: 1.5 } } }, /bm25\.b/],
    ['no postings read at all', { ...defaults, retrieval: { ...RETRIEVAL, postingsPerTerm: 0 } }, /postingsPerTerm/],
    ['a quote longer than any sentence', { ...defaults, quoting: { ...QUOTING, maxQuoteChars: 2000 } }, /maxQuoteChars/],
    ['a passage too short for one quote', { ...defaults, quoting: { ...QUOTING, chunk: { maxChars: 300, overlapSentences: 1 } } }, /chunk\.maxChars/],
    ['a first page longer than the answer', { ...defaults, quoting: { ...QUOTING, quotesPerPage: 12 } }, /quotesPerPage/],
    ['same-fact thresholds the wrong way round', { ...defaults, quoting: { ...QUOTING, sameFact: { withFigure: 0.5, withoutFigure: 0.2 } } }, /sameFact/],
    ['replies longer than Telegram takes', { ...defaults, display: { ...DISPLAY, maxMessageChars: 5000 } }, /maxMessageChars/],
    ['any overlap counting as a duplicate', { ...defaults, ingest: { ...INGEST, duplicateOverlap: 0.3 } }, /duplicateOverlap/],
    ['a memory that forgets at once', { ...defaults, conversation: { ...CONVERSATION, memory: { ttlMs: 0, perChat: 20, maxChats: 10 } } }, /memory\.ttlMs/],
  ] as Array<[string, Settings, RegExp]>)('name what is wrong: %s', (_name, settings, problem) => {
    expect(checkSettings(settings).join('\n')).toMatch(problem);
  });
});
